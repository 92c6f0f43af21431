using MovieRecommender.Grains.Users;

namespace MovieRecommender.Grains;

/// <summary>A user shard's durable state: its users in one version, written once every user is pushed.</summary>
[GenerateSerializer]
public sealed record UserPartitionState
{
    [Id(0)] public ModelVersionInfo? Model { get; init; }
    // The form partitions were stored in before issue 26: read, turned into Rows on activation, never written again.
    [Id(1)] public Dictionary<string, UserProfile>? Profiles { get; init; }
    [Id(2)] public bool Sealed { get; init; }
    [Id(3)] public UserRows? Rows { get; init; }
}
