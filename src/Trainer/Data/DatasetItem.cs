namespace MovieRecommender.Trainer.Data;

/// <summary>A movie. <paramref name="Id"/> is the MovieLens id as a string; for ML-100K titles listed under two ids
/// it is the smaller id.</summary>
public sealed record DatasetItem(string Id, string Title, IReadOnlyList<string> Genres, int? Year);
