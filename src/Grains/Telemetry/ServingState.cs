using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MovieRecommender.Grains.Telemetry;

/// <summary>
/// What this silo serves, for the observable gauges: the loaded candidate shards (rows and index kind, label <c>tier</c>) and the
/// active version its user grains last saw. Grains report changes; the meter reads it at each collection.
/// </summary>
public static class ServingState
{
    private static readonly ConcurrentDictionary<string, (string Version, int Shard, string IndexKind, int Rows)> Shards = new(StringComparer.Ordinal);
    private static volatile string? _activeVersion;

    public static void ShardLoaded(string key, string version, int shard, string indexKind, int rows) => Shards[key] = (version, shard, indexKind, rows);

    public static void ShardUnloaded(string key) => Shards.TryRemove(key, out _);

    public static void ActiveVersionSeen(string version) => _activeVersion = version;

    internal static IEnumerable<Measurement<long>> ShardRows() =>
        Shards.Values.Select(s => new Measurement<long>(s.Rows,
            new KeyValuePair<string, object?>("version", s.Version),
            new KeyValuePair<string, object?>("shard", s.Shard),
            new KeyValuePair<string, object?>("tier", s.IndexKind)));

    internal static IEnumerable<Measurement<long>> ActiveVersion() =>
        _activeVersion is { } version ? [new Measurement<long>(1, new KeyValuePair<string, object?>("version", version))] : [];
}
