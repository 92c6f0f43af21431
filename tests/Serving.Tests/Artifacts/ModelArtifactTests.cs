using MovieRecommender.Artifacts;

namespace MovieRecommender.Serving.Tests.Artifacts;

public sealed class ModelArtifactTests
{
    [Fact]
    public void WritesAVersionFolderThatLoadsBackIdentically()
    {
        using var temp = new TempFolder();
        var content = TestArtifacts.Content(users: 7, items: 30, dim: 4, seed: 1);
        var folder = ArtifactWriter.Write(temp.Path, content);

        Assert.Equal(temp.Path, Path.GetDirectoryName(folder));
        Assert.DoesNotContain(Directory.EnumerateDirectories(temp.Path), d => Path.GetFileName(d).StartsWith(".staging"));
        var artifact = ModelArtifact.Load(folder);
        Assert.Equal(Path.GetFileName(folder), artifact.Manifest.Version);
        Assert.Equal(4, artifact.Manifest.Dimension);
        Assert.Equal(new ArtifactCounts(7, 30, 1, 1), artifact.Manifest.Counts);
        Assert.Equal(content.ItemEmbeddings.Values, artifact.ItemEmbeddings.Values);
        Assert.Equal(content.UserEmbeddings.Values, artifact.UserEmbeddings.Values);
        Assert.Equal(content.Items.Select(i => (i.Id, i.Title, string.Join('|', i.Genres), i.Year)),
            artifact.Items.Select(i => (i.Id, i.Title, string.Join('|', i.Genres), i.Year)));
        Assert.Equal(content.Users.Select(u => string.Join(' ', u.Seen)), artifact.Users.Select(u => string.Join(' ', u.Seen)));
        Assert.Equal(["items.npy", "items.tsv", "users.npy", "users.tsv"], artifact.Manifest.Files.Keys.Order());
        Assert.All(artifact.Manifest.Files.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
    }

    [Fact]
    public void ManifestEvaluationHasTheAgreedShape()
    {
        using var temp = new TempFolder();
        var folder = TestArtifacts.Write(temp.Path, 3, 10, 2, seed: 2);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var evaluation = json.RootElement.GetProperty("evaluation");
        foreach (var method in new[] { "model", "popularity", "ease" })
            foreach (var view in new[] { "all", "seenExcluded" })
                Assert.Equal(["1", "5", "10", "50", "100"],
                    evaluation.GetProperty(method).GetProperty(view).EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void AFlippedByteIsRefusedNamingTheFile()
    {
        using var temp = new TempFolder();
        var folder = TestArtifacts.Write(temp.Path, 5, 20, 4, seed: 3);
        var path = Path.Combine(folder, "items.npy");
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ArtifactException>(() => ModelArtifact.Load(folder));
        Assert.Contains("items.npy", error.Message);
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void AMissingFileIsRefusedNamingTheFile()
    {
        using var temp = new TempFolder();
        var folder = TestArtifacts.Write(temp.Path, 5, 20, 4, seed: 4);
        File.Delete(Path.Combine(folder, "users.tsv"));
        var error = Assert.Throws<ArtifactException>(() => ModelArtifact.Load(folder));
        Assert.Contains("users.tsv", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void ArraysOfTheWrongShapeAreRefusedEvenWithValidChecksums()
    {
        using var temp = new TempFolder();
        var folder = TestArtifacts.Write(temp.Path, 5, 20, 4, seed: 5);
        NpyFile.Write(Path.Combine(folder, "items.npy"), new EmbeddingMatrix(19, 4, new float[76]));
        RewriteChecksums(folder);
        var error = Assert.Throws<ArtifactException>(() => ModelArtifact.Load(folder));
        Assert.Contains("19 rows", error.Message);
    }

    [Fact]
    public void AFailedWriteLeavesNoFolderBehind()
    {
        using var temp = new TempFolder();
        var content = TestArtifacts.Content(3, 10, 2, seed: 6) with { WriteExtraFiles = _ => throw new IOException("disk full") };
        Assert.Throws<IOException>(() => ArtifactWriter.Write(temp.Path, content));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    private static void RewriteChecksums(string folder)
    {
        var path = Path.Combine(folder, ModelManifest.FileName);
        var manifest = ModelManifest.FromJson(File.ReadAllText(path), path) with { Files = ArtifactWriter.HashFiles(folder) };
        File.WriteAllText(path, manifest.ToJson());
    }
}
