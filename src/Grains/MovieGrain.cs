using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Search;

namespace MovieRecommender.Grains;

/// <summary>A movie: its nearest movies by the dot product of candidate embeddings, through the same shards as users.</summary>
[StatelessWorker]
public sealed class MovieGrain(IOptions<ShardFanOutOptions> fanOut, ActiveModelView activeModel) : Grain, IMovieGrain
{
    public async Task<Recommendation> Similar(int k, MovieFilter filter)
    {
        if (k < 1 || k > IUserGrain.MaxK)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"K must be between 1 and {IUserGrain.MaxK}.");
        var movieId = this.GetPrimaryKeyString();
        var active = await activeModel.CurrentAsync()
            ?? throw new InvalidOperationException("No model is published yet: train one with 'train --publish' or run 'publish ARTIFACT_DIR'.");
        var model = active.Info;
        var movie = await ShardFanOut.FindAsync(GrainFactory, fanOut.Value, model, movieId)
            ?? throw new ArgumentException($"Movie '{movieId}' is not in the catalogue of version {model.Version}.");

        // Directions only: a bias column would add popularity (bias x bias), not likeness.
        var query = (float[])movie.Embedding.Clone();
        if (model.BiasColumn) query[^1] = 0;
        var (movies, answered) = await ShardFanOut.SearchAsync(GrainFactory, fanOut.Value, model,
            new ShardSearchRequest(query, k, [movie.Row], filter is null || filter.IsEmpty ? null : filter));
        return new Recommendation(movieId, model.Version, RecommendationSource.Similar, [.. movies], answered, model.CandidateShards);
    }
}
