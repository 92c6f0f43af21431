using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Evaluation;

/// <summary>
/// EASE (Steck, 2019), in float64: G = XᵀX + λI, P = G⁻¹, B_ij = -P_ij / P_jj with diag(B) = 0, score = X·B,
/// where X is the binary user × movie training matrix. The closed form needs an items × items inverse, so on
/// catalogs larger than <see cref="MaxItems"/> it is fitted on the <see cref="MaxItems"/> most popular training
/// movies only and every other movie scores -infinity (never recommended).
/// <para>
/// With fewer users than modelled movies the same scores come from a users × users inverse (Woodbury): with
/// K = XXᵀ and A = (K + λI)⁻¹, X·P = A·X and P_jj = (1 - Σ_u X_uj (A·X)_uj) / λ, so X·B = X - (A·X)·diag(1/P_jj).
/// On 600 users and 8,000 movies that is seconds instead of the half minute of the 8,000² inverse, which is what
/// lets <see cref="EaseLambdaSearch"/> try a grid of λ.
/// </para>
/// </summary>
public sealed class EaseBaseline : IUserScorer, IDisposable
{
    /// <summary>The λ of the original paper's MovieLens runs and this project's fixed baseline before λ was chosen on validation.</summary>
    public const double DefaultLambda = 500;
    public const int MaxItems = 8000;

    /// <summary>How the closed form is computed; both give the same scores (a test holds them to it).</summary>
    public enum Form { Auto, Items, Users }

    private readonly SparseRows train;
    private readonly int[] column;   // item → column of B, or -1 when not modelled
    private readonly int[] modelled; // column → item
    private readonly Tensor? b;      // [m, m] float64 (items form)
    private readonly Tensor? scores; // [users, m] float64 (users form)

    public EaseBaseline(SparseRows train, double lambda = DefaultLambda, int maxItems = MaxItems, Form form = Form.Auto)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), $"EASE's λ must be a positive number (got {lambda}).");
        this.train = train;
        Items = train.ItemCount;
        var counts = train.ItemCounts();
        modelled = Enumerable.Range(0, Items).Where(i => counts[i] > 0 || Items <= maxItems)
            .OrderByDescending(i => counts[i]).ThenBy(i => i).Take(maxItems).Order().ToArray();
        column = Enumerable.Repeat(-1, Items).ToArray();
        for (var c = 0; c < modelled.Length; c++) column[modelled[c]] = c;
        Lambda = lambda;
        UsersForm = form == Form.Users || (form == Form.Auto && train.Users < modelled.Length);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (UsersForm)
            scores = UserSideScores(lambda).MoveToOuterDisposeScope();
        else
            b = ItemWeights(lambda).MoveToOuterDisposeScope();
    }

    public int Items { get; }
    public double Lambda { get; }

    /// <summary>Whether the scores came from the users × users inverse.</summary>
    public bool UsersForm { get; }

    /// <summary>The item × item weights (modelled items only), for tests; only the items form keeps them.</summary>
    public double[] Weights() => b?.data<double>().ToArray() ?? throw new InvalidOperationException("the users form keeps no item weights.");

    public void Score(int firstUser, int count, double[] scores)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var s = this.scores is { } all ? all.narrow(0, firstUser, count).contiguous() : DenseRows(firstUser, count).matmul(b!).contiguous();
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

    // B = I - P·diag(1/P_jj) from the items × items inverse.
    private Tensor ItemWeights(double lambda)
    {
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
        return bm.contiguous();
    }

    // X·B for every user from the users × users inverse (see the class comment).
    private Tensor UserSideScores(double lambda)
    {
        var x = DenseRows(0, train.Users);
        var k = x.matmul(x.t());
        k.add_(eye(train.Users, dtype: ScalarType.Float64).mul(lambda));
        var ax = linalg.solve(k, x);                                   // A·X = X·P
        var pDiagonal = x.mul(ax).sum(dim: 0L).neg().add(1).div(lambda);     // P_jj
        return x.sub(ax.div(pDiagonal.unsqueeze(0))).contiguous();     // X - (A·X)·diag(1/P_jj)
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

    public void Dispose()
    {
        b?.Dispose();
        scores?.Dispose();
    }
}
