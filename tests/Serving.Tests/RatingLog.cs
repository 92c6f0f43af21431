using MovieRecommender.Grains;

namespace MovieRecommender.Serving.Tests;

/// <summary>The user log's ratings, read the way <c>export-ratings</c> reads them.</summary>
public static class RatingLog
{
    public static async Task<Rating[]> AllAsync(IGrainFactory grains)
    {
        var ratings = new List<Rating>();
        await foreach (var entry in IRatingLogGrain.ReadAllAsync(grains))
            if (entry.IsRating) ratings.Add(entry.ToRating());
        return [.. ratings];
    }
}
