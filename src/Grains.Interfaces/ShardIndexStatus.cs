namespace MovieRecommender.Grains;

/// <summary>
/// What one candidate shard serves with: the index its version asked for, what it built (null while building or
/// when the build failed) and the build's error. While no index is built the shard answers by exact scan.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardIndexStatus(
    [property: Id(0)] string Key,
    [property: Id(1)] int Rows,
    [property: Id(2)] string Requested,
    [property: Id(3)] string? Built,
    [property: Id(4)] string? Error = null)
{
    public bool IsBuilding => Built is null && Error is null;
}
