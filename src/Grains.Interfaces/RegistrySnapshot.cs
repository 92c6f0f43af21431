namespace MovieRecommender.Grains;

/// <summary>
/// What the registry says at one moment: the active model (null before the first publish) and the generation of
/// that say, which every activation and rollback increases. A silo keeps the snapshot of the highest generation it
/// has seen, so a slow read can never undo a newer notification. The epoch names the registry's state: a state
/// lost and begun again (a wiped store) counts its generations afresh, and a silo takes its say whatever the count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrySnapshot(
    [property: Id(0)] long Generation,
    [property: Id(1)] ActiveModel? Active,
    [property: Id(2)] string Epoch = "");
