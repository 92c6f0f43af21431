namespace MovieRecommender.Grains;

/// <summary>Every rating recorded since training, in order, durable; exported for the next training run. Key: <see cref="DefaultKey"/>.</summary>
public interface IRatingLogGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    Task Append(Rating rating);

    [AlwaysInterleave]
    Task<Rating[]> All();
}
