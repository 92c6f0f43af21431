using MovieRecommender.Artifacts;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The trainer's towers run with the id embedding left out, exported as <see cref="ServedRows.Export"/> exports the
/// full ones: a user row is <c>[normalise(demographics) x new-user scale, 1]</c> (<see cref="NewUserScale"/>), a movie row <c>[normalise(features), cold bias]</c>.
/// They are what serving's <see cref="MovieRecommender.Artifacts.Towers.FeatureTowers"/> must reproduce from the artifact
/// alone, and what a cold-start evaluation scores a held-out user or movie with.
/// </summary>
public static class FeatureOnlyTowers
{
    /// <summary>Every user's and every movie's feature-only row; the movies' bias column holds <see cref="ServedRows.ColdMovieBias"/>.</summary>
    public static (EmbeddingMatrix Users, EmbeddingMatrix Items) Export(TwoTowerModel model, double newUserScale)
    {
        if (!model.HasItemFeatures)
            throw new InvalidOperationException("the model has no movie features: there is no feature-only candidate tower.");
        model.eval();
        var coldBias = ServedRows.ColdMovieBias(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var userScale = newUserScale.ToScalar();
        using var bias = coldBias.ToScalar();
        var users = model.UserFeatureVectors(tensor(Enumerable.Range(0, model.Users).Select(u => (long)u).ToArray())).mul(userScale);
        var items = model.AllItemFeatureVectors()!;
        if (model.HasItemBias)
        {
            users = cat([users, ones(model.Users, 1)], 1);
            items = cat([items, full(model.Items, 1, bias)], 1);
        }
        return (Matrix(users), Matrix(items));
    }

    private static EmbeddingMatrix Matrix(Tensor rows) =>
        new((int)rows.shape[0], (int)rows.shape[1], rows.to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
}
