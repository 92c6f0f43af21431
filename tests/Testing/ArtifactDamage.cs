using System.Text;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;

namespace MovieRecommender.Testing;

/// <summary>
/// One way to damage an artifact, and the one-line answer loading (and so publishing) it must give:
/// <c>{folder}/{<see cref="ReportedFile"/>}{<see cref="Answer"/>}</c> at the start of the message.
/// <see cref="InContent"/> faults change a checksummed file: with the manifest as it was they are answered as a
/// checksum mismatch; <see cref="ArtifactDamage.Apply"/> with <c>rewriteChecksums</c> makes the manifest match the
/// damaged files, so the content check itself must find them.
/// </summary>
public sealed record ArtifactFault(string Name, string DamagedFile, string ReportedFile, string Answer, Action<string> Damage)
{
    public bool InContent => DamagedFile != ModelManifest.FileName;

    public override string ToString() => Name;
}

/// <summary>The catalogue of damaged artifacts, for an artifact of <see cref="Users"/> users, <see cref="Items"/> movies of
/// dimension <see cref="Dim"/> (TestArtifacts.Write), and the helpers that damage one.</summary>
public static class ArtifactDamage
{
    public const int Users = 10;
    public const int Items = 40;
    public const int Dim = 4;

    private const string Items_ = ArtifactFiles.Items;
    private const string Users_ = ArtifactFiles.Users;
    private const string ItemsNpy = ArtifactFiles.ItemEmbeddings;
    private const string UsersNpy = ArtifactFiles.UserEmbeddings;
    private const string Manifest = ModelManifest.FileName;

    public static IReadOnlyList<ArtifactFault> All { get; } =
    [
        // .npy files
        new("truncated items.npy", ItemsNpy, ItemsNpy, ": truncated: the header says shape (40, 4), 640 bytes of float32, but only 630 bytes follow it.",
            f => Bytes(f, ItemsNpy, b => b[..^10])),
        new("users.npy header shape larger than the file", UsersNpy, UsersNpy, ": truncated: the header says shape (5000, 4), 80000 bytes of float32, but only 160 bytes follow it.",
            f => NpyHeader(f, UsersNpy, h => h.Replace("(10, 4)", "(5000, 4)"))),
        new("items.npy header shape absurdly large", ItemsNpy, ItemsNpy, ": the header's rows '99999999999999999999' is not a size (too large, or not a whole number).",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("(40, 4)", "(99999999999999999999, 4)"))),
        new("items.npy header rows beyond int", ItemsNpy, ItemsNpy, ": the header's rows 99999999999 is absurdly large (more than 2147483647).",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("(40, 4)", "(99999999999, 4)"))),
        new("items.npy header shape beyond one array", ItemsNpy, ItemsNpy, $": the header's shape (2000000000, 2000000000) is 4000000000000000000 floats, more than one array can hold ({Array.MaxLength}).",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("(40, 4)", "(2000000000, 2000000000)"))),
        new("items.npy header 3-D shape", ItemsNpy, ItemsNpy, ": expected a 2-D array (rows, columns), the header says shape (40, 4, 1).",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("(40, 4)", "(40, 4, 1)"))),
        new("items.npy float64 dtype", ItemsNpy, ItemsNpy, ": expected little-endian float32 data ('<f4'), the header says dtype '<f8'.",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("<f4", "<f8"))),
        new("users.npy big-endian dtype", UsersNpy, UsersNpy, ": expected little-endian float32 data ('<f4'), the header says dtype '>f4'.",
            f => NpyHeader(f, UsersNpy, h => h.Replace("<f4", ">f4"))),
        new("items.npy Fortran order", ItemsNpy, ItemsNpy, ": Fortran-ordered (column-major) arrays are not supported; save it C-ordered (numpy.ascontiguousarray).",
            f => NpyHeader(f, ItemsNpy, h => h.Replace("False", "True"))),
        new("items.npy bad magic", ItemsNpy, ItemsNpy, ": not a NumPy .npy file (bad magic bytes).",
            f => Bytes(f, ItemsNpy, b => { b[1] = (byte)'X'; return b; })),
        new("items.npy with a NaN", ItemsNpy, ItemsNpy, ": row 3, column 1 is NaN; the training diverged, retrain (a lower --lr).",
            f => Value(f, ItemsNpy, 3 * Dim + 1, float.NaN)),
        new("users.npy with an infinity", UsersNpy, UsersNpy, ": row 1, column 2 is infinite; the training diverged, retrain (a lower --lr).",
            f => Value(f, UsersNpy, 1 * Dim + 2, float.PositiveInfinity)),
        new("users.npy with trailing bytes", UsersNpy, UsersNpy, ": 4 trailing bytes after the (10, 4) float32 data the header declares.",
            f => Bytes(f, UsersNpy, b => [.. b, 1, 2, 3, 4])),
        new("items.npy one row short", ItemsNpy, ItemsNpy, ": 39 rows, but items.tsv describes 40 movies.",
            f => NpyFile.Write(Path.Combine(f, ItemsNpy), new EmbeddingMatrix(39, Dim, new float[39 * Dim]))),
        // .tsv files
        new("items.tsv row missing a column", Items_, Items_, ":3: expected 4 tab-separated fields, found 3.",
            f => Line(f, Items_, 3, l => l[..l.LastIndexOf('\t')])),
        new("items.tsv row with an extra column", Items_, Items_, ":5: expected 4 tab-separated fields, found 5.",
            f => Line(f, Items_, 5, l => l + "\textra")),
        new("users.tsv row missing a column", Users_, Users_, ":2: expected 2 tab-separated fields, found 1.",
            f => Line(f, Users_, 2, l => l.Split('\t')[0])),
        new("users.tsv row with an extra column", Users_, Users_, ":4: expected 2 tab-separated fields, found 3.",
            f => Line(f, Users_, 4, l => l + "\t1000")),
        new("items.tsv header changed", Items_, Items_, ":1: expected the header 'id\\ttitle\\tgenres\\tyear', found 'id\\ttitle'.",
            f => Line(f, Items_, 1, _ => "id\ttitle")),
        new("items.tsv duplicate movie id", Items_, Items_, ": movie id '1003' appears twice.",
            f => Line(f, Items_, 6, l => "1003" + l[l.IndexOf('\t')..])),
        new("users.tsv duplicate user id", Users_, Users_, $": user id '{UserId(1)}' appears twice.",
            f => Line(f, Users_, 4, l => UserId(1) + l[l.IndexOf('\t')..])),
        new("users.tsv seen movie not in the catalogue", Users_, Users_, $": user '{UserId(2)}' has seen movie '9999', which items.tsv lacks.",
            f => Line(f, Users_, 3, l => l + (l.EndsWith('\t') ? "9999" : " 9999"))),
        // the manifest
        new("manifest dimension disagrees", Manifest, ItemsNpy, ": 4 columns, but the manifest says dimension 5.",
            f => Json(f, m => m["dimension"] = 5)),
        new("manifest dimension zero", Manifest, Manifest, ": dimension is 0; expected 1 to 65536.",
            f => Json(f, m => m["dimension"] = 0)),
        new("manifest item count disagrees", Manifest, Manifest, ": counts.items is 41, but items.tsv describes 40 movies.",
            f => Json(f, m => m["counts"]!["items"] = 41)),
        new("manifest checksum disagrees", Manifest, UsersNpy, $": checksum mismatch (manifest {new string('a', 64)}, file ",
            f => Json(f, m => m["files"]![UsersNpy] = new string('a', 64))),
        new("manifest checksum not a hash", Manifest, Manifest, ": the checksum of items.tsv is 'abc', not a SHA-256 (64 hex digits).",
            f => Json(f, m => m["files"]![Items_] = "abc")),
        new("manifest lists a file outside the folder", Manifest, Manifest, ": lists the file '../users.tsv', which is not a plain file name of the artifact's folder.",
            f => Json(f, m => m["files"]!["../users.tsv"] = new string('0', 64))),
        new("manifest lacks a file", Manifest, Manifest, ": lists no checksum for users.tsv.",
            f => Json(f, m => m["files"]!.AsObject().Remove(Users_))),
        new("manifest version a path", Manifest, Manifest, ": version '../../etc' is not a version id (letters, digits, '-', '_' and '.', as 'train' writes them).",
            f => Json(f, m => m["version"] = "../../etc")),
        new("manifest itemBias not a boolean", Manifest, Manifest, ": hyperParameters.itemBias is \"yes\"; expected true or false.",
            f => Json(f, m => m["hyperParameters"]!["itemBias"] = "yes")),
        new("manifest not JSON", Manifest, Manifest, ": not a valid manifest (",
            f => File.WriteAllText(Path.Combine(f, Manifest), "{ \"version\": ")),
        new("manifest dimension not a number", Manifest, Manifest, ": not a valid manifest (The JSON value could not be converted to MovieRecommender.Artifacts.ModelManifest. Path: $.dimension",
            f => Json(f, m => m["dimension"] = "four")),
    ];

    public static ArtifactFault Named(string name) => All.Single(f => f.Name == name);

    /// <summary>The id TestArtifacts gives user <paramref name="index"/> (1-based) of the artifact written with <see cref="Seed"/>.</summary>
    public static string UserId(int index) => $"{Seed * 10_000 + index}";

    /// <summary>The seed of the good artifact the faults are written for (its user ids appear in the answers).</summary>
    public const int Seed = 601;

    /// <summary>Writes the good artifact (TestArtifacts, <see cref="Seed"/>) under <paramref name="root"/>.</summary>
    public static string WriteGood(string root) => TestArtifacts.Write(root, Users, Items, Dim, Seed);

    /// <summary>A copy of <paramref name="good"/> damaged by <paramref name="fault"/>, its checksums rewritten to match when asked.</summary>
    public static string Apply(string good, ArtifactFault fault, bool rewriteChecksums, string root)
    {
        var copy = Copy(good, root);
        fault.Damage(copy);
        if (rewriteChecksums) RewriteChecksums(copy);
        return copy;
    }

    /// <summary>A copy of the artifact folder <paramref name="good"/> under <paramref name="root"/>.</summary>
    public static string Copy(string good, string root)
    {
        var copy = Path.Combine(root, $"damaged-{Guid.NewGuid():N}");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(good)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>The answer's expected start for a damaged copy.</summary>
    public static string ExpectedStart(string copy, ArtifactFault fault, bool rewritten) =>
        fault.InContent && !rewritten
            ? $"{Path.Combine(copy, fault.DamagedFile)}: checksum mismatch (manifest "
            : Path.Combine(copy, fault.ReportedFile) + fault.Answer;

    public static void RewriteChecksums(string folder)
    {
        var path = Path.Combine(folder, ModelManifest.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        var files = new JsonObject();
        foreach (var (name, hash) in ArtifactWriter.HashFiles(folder)) files[name] = hash;
        manifest["files"] = files;
        File.WriteAllText(path, manifest.ToJsonString());
    }

    private static void Bytes(string folder, string file, Func<byte[], byte[]> change)
    {
        var path = Path.Combine(folder, file);
        File.WriteAllBytes(path, change(File.ReadAllBytes(path)));
    }

    /// <summary>Rewrites a version-1.0 .npy header (re-padded so the data stays 64-byte aligned), the data unchanged.</summary>
    public static void NpyHeader(string folder, string file, Func<string, string> change) => Bytes(folder, file, bytes =>
    {
        var length = bytes[8] | bytes[9] << 8;
        var header = Encoding.ASCII.GetString(bytes, 10, length).TrimEnd();
        var changed = change(header);
        if (changed == header) throw new InvalidOperationException($"the change leaves {file}'s header as it was: '{header}'.");
        changed += new string(' ', (64 - (10 + changed.Length + 1) % 64) % 64) + "\n";
        byte[] prefix = [.. bytes[..8], (byte)(changed.Length & 0xff), (byte)(changed.Length >> 8)];
        return [.. prefix, .. Encoding.ASCII.GetBytes(changed), .. bytes[(10 + length)..]];
    });

    private static void Value(string folder, string file, int index, float value) => Bytes(folder, file, bytes =>
    {
        var length = bytes[8] | bytes[9] << 8;
        BitConverter.TryWriteBytes(bytes.AsSpan(10 + length + index * sizeof(float)), value);
        return bytes;
    });

    /// <summary>Changes line <paramref name="number"/> (1-based, the header is 1) of a text file.</summary>
    private static void Line(string folder, string file, int number, Func<string, string> change)
    {
        var path = Path.Combine(folder, file);
        var lines = File.ReadAllText(path).Split('\n');
        lines[number - 1] = change(lines[number - 1]);
        File.WriteAllText(path, string.Join('\n', lines));
    }

    private static void Json(string folder, Action<JsonNode> change)
    {
        var path = Path.Combine(folder, ModelManifest.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        change(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
