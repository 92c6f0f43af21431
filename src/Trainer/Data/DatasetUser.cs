namespace MovieRecommender.Trainer.Data;

/// <summary>A user with the demographic fields ML-100K ships (all null for ml-latest, which has none).</summary>
public sealed record DatasetUser(string Id, int? Age = null, string? Gender = null, string? Occupation = null, string? Zip = null);
