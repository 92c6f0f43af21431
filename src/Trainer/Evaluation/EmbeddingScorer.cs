using MovieRecommender.Artifacts;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Evaluation;

/// <summary>Scores by the plain dot product of exported user and item embeddings (float32 matrix product,
/// widened to float64), i.e. exactly what serving computes.</summary>
public sealed class EmbeddingScorer : IUserScorer, IDisposable
{
    private readonly Tensor users;
    private readonly Tensor itemsT;

    public EmbeddingScorer(EmbeddingMatrix userEmbeddings, EmbeddingMatrix itemEmbeddings)
    {
        if (userEmbeddings.Columns != itemEmbeddings.Columns)
            throw new ArgumentException($"user embeddings have {userEmbeddings.Columns} columns, item embeddings {itemEmbeddings.Columns}.");
        users = tensor(userEmbeddings.Values, [userEmbeddings.Rows, userEmbeddings.Columns]);
        using var items = tensor(itemEmbeddings.Values, [itemEmbeddings.Rows, itemEmbeddings.Columns]);
        itemsT = items.t().contiguous();
        Items = itemEmbeddings.Rows;
    }

    public int Items { get; }

    public void Score(int firstUser, int count, double[] scores)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var s = users.narrow(0, firstUser, count).matmul(itemsT).to_type(ScalarType.Float64).contiguous();
        s.data<double>().CopyTo(scores.AsSpan(0, count * Items));
    }

    public void Dispose()
    {
        users.Dispose();
        itemsT.Dispose();
    }
}
