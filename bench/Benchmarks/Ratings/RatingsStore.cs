using System.Globalization;
using System.Text.Json.Nodes;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// Where the silo keeps its grains for the run: its store folder alone (file store, the embedded localhost mode), or
/// a redis-server of the benchmark's own (cluster mode). Gives the silo's settings and a client's environment, and
/// measures the store's size at the end.
/// </summary>
public sealed class RatingsStore : IAsyncDisposable
{
    private readonly string _clusterId;

    private RatingsStore(RatingsStoreKind kind, string folder, RedisServer? redis)
    {
        Kind = kind;
        Folder = folder;
        Redis = redis;
        _clusterId = $"bench-ratings-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
    }

    public RatingsStoreKind Kind { get; }

    /// <summary>The silo's store folder (Storage:Root); with Redis, Redis' data is in its redis/ folder.</summary>
    public string Folder { get; }

    public RedisServer? Redis { get; }

    public static async Task<RatingsStore> StartAsync(RatingsStoreKind kind, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var redis = kind == RatingsStoreKind.Redis ? await RedisServer.StartAsync(Path.Combine(folder, "redis"), appendOnly: true, install: false) : null;
        return new RatingsStore(kind, folder, redis);
    }

    /// <summary>The silo's settings beyond its ports and store folder: cluster mode on this Redis, with a cluster of the run's own.</summary>
    public IReadOnlyList<string> SiloSettings() => Redis is null ? [] :
    [
        "--Cluster:Mode=redis", $"--Cluster:Redis={Redis.Configuration}", $"--Cluster:ClusterId={_clusterId}", $"--Cluster:ServiceId={_clusterId}",
    ];

    /// <summary>What a client program (publish, export-ratings) needs to reach the silo: its gateway, or the cluster in Redis.</summary>
    public Dictionary<string, string> ClientEnvironment(int gatewayPort) => Redis is null
        ? new(StringComparer.Ordinal) { ["Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture) }
        : new(StringComparer.Ordinal)
        {
            ["Cluster__Mode"] = "redis", ["Cluster__Redis"] = Redis.Configuration, ["Cluster__ClusterId"] = _clusterId, ["Cluster__ServiceId"] = _clusterId,
        };

    /// <summary>
    /// The store's size now: the folder's bytes on disk (Redis' append-only file among them), by its top-level entries
    /// (the file store keeps a folder per grain state, so the log's part shows whatever its state is named), and
    /// Redis' used_memory.
    /// </summary>
    public async Task<JsonObject> SizeAsync(CancellationToken ct)
    {
        var byEntry = new JsonObject();
        if (Directory.Exists(Folder))
            foreach (var entry in new DirectoryInfo(Folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
                byEntry[entry.Name] = entry is DirectoryInfo d ? FolderBytes(d.FullName) : ((FileInfo)entry).Length;
        var size = new JsonObject
        {
            ["kind"] = Kind.ToString().ToLowerInvariant(),
            ["folderBytes"] = FolderBytes(Folder),
            ["folderBytesByEntry"] = byEntry,
        };
        if (Redis is not null)
        {
            size["redisDataBytes"] = FolderBytes(Redis.DataDir);
            size["redisUsedMemoryBytes"] = await Redis.UsedMemoryBytesAsync(ct);
            size["redisPersistence"] = "appendonly yes, appendfsync everysec (as scripts/cluster.sh)";
        }
        return size;
    }

    public static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    public ValueTask DisposeAsync()
    {
        Redis?.Dispose();
        return ValueTask.CompletedTask;
    }
}
