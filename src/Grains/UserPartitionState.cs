namespace MovieRecommender.Grains;

/// <summary>A user shard's durable state: its users' profiles in one version, written once every user is pushed.</summary>
[GenerateSerializer]
public sealed record UserPartitionState
{
    [Id(0)] public ModelVersionInfo? Model { get; init; }
    [Id(1)] public Dictionary<string, UserProfile> Profiles { get; init; } = new(StringComparer.Ordinal);
    [Id(2)] public bool Sealed { get; init; }
}
