using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Evaluation;

/// <summary>
/// EASE (Steck, 2019), in float64: G = XᵀX + λI, P = G⁻¹, B_ij = -P_ij / P_jj with diag(B) = 0, score = X·B,
/// where X is the binary user × movie training matrix. The closed form needs an items × items inverse, so on
/// catalogs larger than <see cref="MaxItems"/> it is fitted on the <see cref="MaxItems"/> most popular training
/// movies only and every other movie scores -infinity (never recommended).
/// </summary>
public sealed class EaseBaseline : IUserScorer, IDisposable
{
    public const double DefaultLambda = 500;
    public const int MaxItems = 8000;

    private readonly SparseRows train;
    private readonly int[] column;   // item → column of B, or -1 when not modelled
    private readonly int[] modelled; // column → item
    private readonly Tensor b;       // [m, m] float64

    public EaseBaseline(SparseRows train, double lambda = DefaultLambda, int maxItems = MaxItems)
    {
        this.train = train;
        Items = train.ItemCount;
        var counts = train.ItemCounts();
        modelled = Enumerable.Range(0, Items).Where(i => counts[i] > 0 || Items <= maxItems)
            .OrderByDescending(i => counts[i]).ThenBy(i => i).Take(maxItems).Order().ToArray();
        column = Enumerable.Repeat(-1, Items).ToArray();
        for (var c = 0; c < modelled.Length; c++) column[modelled[c]] = c;
        Lambda = lambda;

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var m = modelled.Length;
        var g = zeros(m, m, dtype: ScalarType.Float64);
        const int chunk = 2048;
        for (var first = 0; first < train.Users; first += chunk)
        {
            var x = DenseRows(first, Math.Min(chunk, train.Users - first));
            g.add_(x.t().matmul(x));
        }
        g.add_(eye(m, dtype: ScalarType.Float64).mul(lambda));
        var p = linalg.inv(g);
        var bm = p.div(p.diagonal().neg().unsqueeze(0)); // B_ij = -P_ij / P_jj
        bm.diagonal().zero_();
        b = bm.contiguous().MoveToOuterDisposeScope();
    }

    public int Items { get; }
    public double Lambda { get; }

    /// <summary>The item × item weights (modelled items only), for tests.</summary>
    public double[] Weights() => b.data<double>().ToArray();

    public void Score(int firstUser, int count, double[] scores)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var s = DenseRows(firstUser, count).matmul(b).contiguous();
        var values = s.data<double>();
        var m = modelled.Length;
        if (m == Items)
        {
            values.CopyTo(scores.AsSpan(0, count * Items));
            return;
        }
        Array.Fill(scores, double.NegativeInfinity, 0, count * Items);
        for (var r = 0; r < count; r++)
            for (var c = 0; c < m; c++)
                scores[r * Items + modelled[c]] = values[r * m + c];
    }

    // The binary rows of X for users first..first+count-1, restricted to the modelled columns.
    private Tensor DenseRows(int first, int count)
    {
        var m = modelled.Length;
        var x = new double[count * m];
        for (var r = 0; r < count; r++)
            foreach (var i in train.Row(first + r))
                if (column[i] >= 0) x[r * m + column[i]] = 1;
        return tensor(x, [count, m]);
    }

    public void Dispose() => b.Dispose();
}
