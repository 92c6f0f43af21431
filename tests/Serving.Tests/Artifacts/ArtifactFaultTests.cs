using MovieRecommender.Artifacts;

namespace MovieRecommender.Serving.Tests.Artifacts;

/// <summary>
/// Every damaged artifact of <see cref="ArtifactDamage.All"/> is refused by loading (the first step of publishing) with one
/// line naming the file and the fault, whether its manifest's checksums are the originals or were rewritten to match
/// the damage; and a header that lies about its size costs nothing.
/// </summary>
public sealed class ArtifactFaultTests
{
    public static TheoryData<string, bool> Faults()
    {
        var data = new TheoryData<string, bool>();
        foreach (var fault in ArtifactDamage.All)
        {
            data.Add(fault.Name, false);
            if (fault.InContent) data.Add(fault.Name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void ADamagedArtifactIsRefusedInOneLineNamingTheFileAndTheFault(string name, bool checksumsRewritten)
    {
        using var temp = new TempFolder();
        var fault = ArtifactDamage.Named(name);
        var copy = ArtifactDamage.Apply(ArtifactDamage.WriteGood(temp.Path), fault, checksumsRewritten, temp.Path);

        var error = Assert.Throws<ArtifactException>(() => ModelArtifact.Load(copy));

        Assert.StartsWith(ArtifactDamage.ExpectedStart(copy, fault, checksumsRewritten), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
    }

    [Fact]
    public void TheGoodArtifactTheFaultsStartFromLoads()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(ArtifactDamage.WriteGood(temp.Path));
        Assert.Equal((ArtifactDamage.Items, ArtifactDamage.Users, ArtifactDamage.Dim), (artifact.Items.Count, artifact.Users.Count, artifact.Manifest.Dimension));
    }

    [Theory]
    [InlineData("(100000000, 4)")]            // 1.6 GB of floats: an array .NET would happily allocate
    [InlineData("(40, 10000000)")]
    [InlineData("(536870000, 4)")]
    public void AHeaderThatLiesAboutItsSizeIsRefusedWithoutAllocatingWhatItAsksFor(string shape)
    {
        using var temp = new TempFolder();
        var copy = ArtifactDamage.Copy(ArtifactDamage.WriteGood(temp.Path), temp.Path);
        ArtifactDamage.NpyHeader(copy, ArtifactFiles.ItemEmbeddings, h => h.Replace("(40, 4)", shape));
        ArtifactDamage.RewriteChecksums(copy);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArtifactException>(() => ModelArtifact.Load(copy));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith($"{Path.Combine(copy, ArtifactFiles.ItemEmbeddings)}: truncated: the header says shape {shape}", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"loading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ALyingHeaderOnAStreamThatCannotSeekAllocatesOnlyWhatArrives()
    {
        using var good = new MemoryStream();
        NpyFile.Write(good, new EmbeddingMatrix(2, 4, new float[8]));
        var bytes = good.ToArray();
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "x.npy");
        File.WriteAllBytes(path, bytes);
        ArtifactDamage.NpyHeader(temp.Path, "x.npy", h => h.Replace("(2, 4)", "(100000000, 4)"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(new ForwardOnlyStream(File.ReadAllBytes(path))));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("truncated: the header says shape (100000000, 4), 1600000000 bytes of float32, but only 32 bytes follow it.", error.Message);
        Assert.True(allocated < 4 << 20, $"reading allocated {allocated:N0} bytes");
    }

    /// <summary>A stream that reads forward only, as a pipe or a network stream does.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
