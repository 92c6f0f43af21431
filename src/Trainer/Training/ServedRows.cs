using MovieRecommender.Artifacts;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// A trained model as the rows serving scores: user and movie matrices whose plain dot product is the training logit,
/// and the bias a movie the model never saw is served with.
/// </summary>
public static class ServedRows
{
    /// <summary>
    /// User and item matrices whose plain dot product is the model's training logit (1/temperature folded
    /// into the users). Users are computed in blocks, so long histories of many users never meet in memory.
    /// </summary>
    public static (EmbeddingMatrix Users, EmbeddingMatrix Items) Export(TwoTowerModel model, double temperature)
    {
        model.eval();
        using var noGrad = no_grad();
        using var inverseTemperature = (1.0 / temperature).ToScalar();
        // With an item bias, one more column: 1 for users, the bias for movies, so that u·i stays the logit.
        var columns = model.Dimension + (model.HasItemBias ? 1 : 0);
        var users = new float[(long)model.Users * columns];
        const int block = 4096;
        for (var first = 0; first < model.Users; first += block)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(block, model.Users - first);
            var ids = Enumerable.Range(first, count).Select(u => (long)u).ToArray();
            var vectors = model.UserVectors(ids).mul(inverseTemperature);
            if (model.HasItemBias) vectors = cat([vectors, ones(count, 1)], 1);
            vectors.to_type(ScalarType.Float32).contiguous().data<float>().CopyTo(users.AsSpan(first * columns, count * columns));
        }
        using var itemScope = NewDisposeScope();
        var items = model.AllItemVectors();
        if (model.HasItemBias) items = cat([items, model.AllItemBiases().unsqueeze(1)], 1);
        return (new EmbeddingMatrix(model.Users, columns, users),
            new EmbeddingMatrix(model.Items, columns, items.to_type(ScalarType.Float32).contiguous().data<float>().ToArray()));
    }

    /// <summary>
    /// The bias a movie the model never saw is served with: with id dropout, the cold bias the dropped movies were trained
    /// with (the bias that goes with the feature-only tower); without it, the catalogue's mean learned bias; 0 without a bias.
    /// </summary>
    public static float ColdMovieBias(TwoTowerModel model)
    {
        if (!model.HasItemBias) return 0;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return (model.HasColdBias ? model.ColdBias.sum() : model.AllItemBiases().mean()).item<float>();
    }
}
