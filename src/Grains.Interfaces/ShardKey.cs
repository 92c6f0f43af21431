using System.Globalization;

namespace MovieRecommender.Grains;

/// <summary>
/// The key of one shard of one model version, written <c>VERSION/SHARD</c> (e.g. <c>20261129-101500-1234/3</c>): the
/// string key of candidate and user shard grains, so a version's shards never mix with another's. Built and read
/// only here.
/// </summary>
public readonly record struct ShardKey(string Version, int Shard)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Version}/{Shard}");

    /// <summary>Reads <c>VERSION/SHARD</c> (the version may itself hold slashes: the last one separates).</summary>
    public static bool TryParse(string? key, out ShardKey shardKey)
    {
        shardKey = default;
        var slash = key?.LastIndexOf('/') ?? -1;
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)) return false;
        shardKey = new ShardKey(key![..slash], shard);
        return true;
    }

    public static ShardKey Parse(string key) =>
        TryParse(key, out var parsed) ? parsed : throw new FormatException($"'{key}' is not a shard key VERSION/SHARD, e.g. 20261129-101500-1234/3.");
}
