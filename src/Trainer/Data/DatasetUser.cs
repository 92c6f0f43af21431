namespace MovieRecommender.Trainer.Data;

/// <summary>A user with the demographic fields ML-100K and ml-1m ship (all null for ml-latest and ml-10m, which have none).</summary>
public sealed record DatasetUser(string Id, int? Age = null, string? Gender = null, string? Occupation = null, string? Zip = null);
