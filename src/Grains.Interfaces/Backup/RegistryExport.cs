using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>
/// What the registry holds, as a backup keeps it and a restore puts it back: the active and previous versions, every
/// version's record (retired ones too, as records) and the generation of that say.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistryExport(
    [property: Id(0)] ActiveModel? Active,
    [property: Id(1)] ActiveModel? Previous,
    [property: Id(2)] ImmutableArray<VersionRecord> Versions,
    [property: Id(3)] long Generation)
{
    /// <summary>The versions whose shards the cluster keeps (active, then previous).</summary>
    public IEnumerable<ModelVersionInfo> Kept => new[] { Active, Previous }.OfType<ActiveModel>().Select(m => m.Info);

    public bool IsEmpty => Active is null && Versions.IsDefaultOrEmpty;
}
