using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>The registry's durable state: the active and previous versions and every version's record.</summary>
[GenerateSerializer]
public sealed record RegistryState
{
    [Id(0)] public ActiveModel? Active { get; init; }
    [Id(1)] public ActiveModel? Previous { get; init; }
    [Id(2)] public ImmutableList<VersionRecord> Versions { get; init; } = [];

    // Increased by every activation and rollback, so silos order what they hear (see RegistrySnapshot).
    [Id(3)] public long Generation { get; init; }

    // Names this state, from its first activation on: a state begun again (a wiped store) has another.
    [Id(4)] public string Epoch { get; init; } = "";
}
