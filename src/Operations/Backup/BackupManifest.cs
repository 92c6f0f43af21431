using System.Text.Json;
using System.Text.Json.Serialization;

namespace MovieRecommender.Operations.Backup;

/// <summary>
/// A backup folder's <c>manifest.json</c>: what the backup holds, and every other file of the folder with its size
/// and SHA-256 (<c>manifest.sha256</c> holds the manifest's own). Pieces are the grains' messages written with the
/// Orleans serializer (<see cref="BackupFolder"/> names them).
/// </summary>
public sealed record BackupManifest(
    int Format,
    DateTimeOffset CreatedAt,
    // The registry's generation the cut was taken at (unchanged from the backup's start to its end).
    long Generation,
    string? Active,
    string? Previous,
    IReadOnlyList<BackupVersion> Kept,
    BackupCounts Counts,
    IReadOnlyList<BackupFile> Files)
{
    /// <summary>The only format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static BackupManifest? FromJson(byte[] json) => JsonSerializer.Deserialize<BackupManifest>(json, JsonOptions);
}

/// <summary>A kept version (active or previous) and the folder of its pieces.</summary>
public sealed record BackupVersion(string Version, string Folder, int CandidateShards, int UserShards, long CandidateRows, long Users);

/// <summary>What the backup holds, for the operator and the restore's summary.</summary>
public sealed record BackupCounts(long Ratings, long Profiles, long LiveChanges, long Erasures);

/// <summary>One file of the backup (path relative to its folder, '/' separated), its size and SHA-256 in lowercase hex.</summary>
public sealed record BackupFile(string Path, long Bytes, string Sha256);
