using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The trained towers as the artifact carries them (<see cref="FeatureTowers"/>): the feature tables, each movie's
/// norm before normalisation, and the settings that turn a feature sum into a served row. Serving embeds new movies
/// and users from these without TorchSharp.
/// </summary>
public static class TowerExport
{
    /// <summary>The towers of a model with movie features; null without them (nothing to embed a new movie from).</summary>
    public static FeatureTowers? From(TwoTowerModel model, TrainingConfig config, float coldMovieBias, double newUserScale)
    {
        if (model.ItemFeatureTable is not { } itemTable) return null;
        using var noGrad = no_grad();
        var settings = new TowerSettings(FeatureTowers.CurrentFormatVersion, model.Dimension, model.Normalize, config.Temperature,
            model.HasItemBias, coldMovieBias, newUserScale, model.ItemVocabulary, model.UserVocabulary);
        float[] norms;
        using (var sums = model.AllItemSums())
        using (var n = sums.norm(1, false, 2))
            norms = model.Normalize ? n.to_type(ScalarType.Float32).data<float>().ToArray() : Enumerable.Repeat(1f, model.Items).ToArray();
        return new FeatureTowers(settings, Matrix(itemTable), model.UserFeatureTable is { } userTable ? Matrix(userTable) : null, norms);
    }

    private static EmbeddingMatrix Matrix(Tensor table) =>
        new((int)table.shape[0], (int)table.shape[1], table.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
}
