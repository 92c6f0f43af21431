using System.Buffers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace MovieRecommender.Grains.Storage;

/// <summary>
/// Grain state as one file per grain under a root folder, serialized with Orleans' own serializer. Writes go to
/// a temporary file that is flushed and renamed over the old one, so a crash leaves the old state or the new
/// one, never half of either. The ETag is a version counter kept in the file, checked on write.
/// </summary>
public sealed class FileGrainStorage(string root, Serializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        var envelope = await Task.Run(async () => serializer.Deserialize<StoredState<T>>(new ReadOnlySequence<byte>(await File.ReadAllBytesAsync(path))))
            ?? throw new InvalidDataException($"{path} holds no state.");
        grainState.State = envelope.State ?? Activator.CreateInstance<T>();
        grainState.ETag = envelope.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var current = await CurrentVersionAsync<T>(path);
        if (current?.ToString(System.Globalization.CultureInfo.InvariantCulture) != grainState.ETag)
            throw new InconsistentStateException($"{path} was written by someone else (stored version {current?.ToString() ?? "none"}, ours {grainState.ETag ?? "none"}).");
        var next = (current ?? 0) + 1;
        var state = grainState.State;
        // Off the Orleans scheduler: a partition can take a second to serialize and flush, and the silo's few
        // threads must keep serving meanwhile. The grain's turn still awaits it, so its state cannot change.
        await Task.Run(async () =>
        {
            var bytes = serializer.SerializeToArray(new StoredState<T>(next, state));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await file.WriteAsync(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        });
        grainState.ETag = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
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

    private async Task<long?> CurrentVersionAsync<T>(string path)
    {
        if (!File.Exists(path)) return null;
        var bytes = await File.ReadAllBytesAsync(path);
        return serializer.Deserialize<StoredState<T>>(new ReadOnlySequence<byte>(bytes))?.Version;
    }

    // One folder per state and grain type; the key made safe for a file name (version keys hold '/').
    private string PathOf(string stateName, GrainId grainId)
    {
        var key = grainId.Key.ToString()!;
        var safe = string.Concat(key.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c.ToString() : $"%{(int)c:x2}"));
        return Path.Combine(root, stateName, grainId.Type.ToString()!, safe + ".bin");
    }
}

[GenerateSerializer]
internal sealed record StoredState<T>([property: Id(0)] long Version, [property: Id(1)] T? State);
