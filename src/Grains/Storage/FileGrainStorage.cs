using System.Buffers.Binary;
using System.Globalization;
using Orleans.Storage;

namespace MovieRecommender.Grains.Storage;

/// <summary>
/// Grain state as one file per grain under a root folder: an 8-byte version counter (the ETag, checked on write
/// by reading just those bytes), then the state as the provider's <see cref="IGrainStorageSerializer"/> writes it (Orleans' own binary
/// serialization unless configured otherwise). Writes go to a temporary file
/// that is flushed and renamed over the old one, so a crash leaves the old state or the new one, never half of
/// either. Registered with <see cref="FileGrainStorageServiceCollectionExtensions.AddFileGrainStorage(ISiloBuilder, string, Action{FileGrainStorageOptions})"/>.
/// </summary>
public sealed class FileGrainStorage(FileGrainStorageOptions options) : IGrainStorage
{
    private readonly string _root = options.RootDirectory;
    private readonly IGrainStorageSerializer _serializer = options.GrainStorageSerializer;
    private readonly bool _flush = options.FlushToDisk;

    private const int VersionBytes = sizeof(long);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        // Off the Orleans scheduler: a large partition takes a while to read and deserialize.
        var (version, state) = await Task.Run(async () =>
        {
            var bytes = await File.ReadAllBytesAsync(path);
            if (bytes.Length < VersionBytes) throw new InvalidDataException($"{path} is too short to hold grain state.");
            return (BinaryPrimitives.ReadInt64LittleEndian(bytes), _serializer.Deserialize<T>(bytes.AsMemory(VersionBytes)));
        });
        grainState.State = state ?? Activator.CreateInstance<T>();
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var current = await CurrentVersionAsync(path);
        if (current?.ToString(CultureInfo.InvariantCulture) != grainState.ETag)
            throw new InconsistentStateException($"{path} was written by someone else (stored version {current?.ToString(CultureInfo.InvariantCulture) ?? "none"}, ours {grainState.ETag ?? "none"}).");
        var next = (current ?? 0) + 1;
        var state = grainState.State;
        // Off the Orleans scheduler: a partition can take a second to serialize and flush, and the silo's few
        // threads must keep serving meanwhile. The grain's turn still awaits it, so its state cannot change.
        await Task.Run(async () =>
        {
            var payload = _serializer.Serialize(state).ToMemory();
            var version = new byte[VersionBytes];
            BinaryPrimitives.WriteInt64LittleEndian(version, next);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(version);
                await file.WriteAsync(payload);
                file.Flush(flushToDisk: _flush);
            }
            File.Move(temporary, path, overwrite: true);
        });
        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    /// <summary>The stored version, from the file's first 8 bytes only; null when there is no file.</summary>
    private static async Task<long?> CurrentVersionAsync(string path)
    {
        if (!File.Exists(path)) return null;
        var version = new byte[VersionBytes];
        await using var file = File.OpenRead(path);
        await file.ReadExactlyAsync(version);
        return BinaryPrimitives.ReadInt64LittleEndian(version);
    }

    // One folder per state and grain type; the key made safe for a file name (version keys hold '/').
    private string PathOf(string stateName, GrainId grainId)
    {
        var key = grainId.Key.ToString()!;
        var safe = string.Concat(key.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c.ToString() : $"%{(int)c:x2}"));
        return Path.Combine(_root, stateName, grainId.Type.ToString()!, safe + ".bin");
    }
}
