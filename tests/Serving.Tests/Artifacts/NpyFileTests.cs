using MovieRecommender.Artifacts;

namespace MovieRecommender.Serving.Tests.Artifacts;

public sealed class NpyFileTests
{
    [Fact]
    public void RoundTripsValuesAndShape()
    {
        var matrix = new EmbeddingMatrix(3, 5, Enumerable.Range(0, 15).Select(i => i * 0.5f - 3).ToArray());
        using var stream = new MemoryStream();
        NpyFile.Write(stream, matrix);
        stream.Position = 0;
        var read = NpyFile.Read(stream);
        Assert.Equal(3, read.Rows);
        Assert.Equal(5, read.Columns);
        Assert.Equal(matrix.Values, read.Values);
    }

    [Fact]
    public void WritesNumPysHeaderWithDataOn64ByteBoundary()
    {
        using var stream = new MemoryStream();
        NpyFile.Write(stream, new EmbeddingMatrix(2, 4, new float[8]));
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var headerLength = bytes[8] | bytes[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (2, 4)", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 8 * 4, bytes.Length);
    }

    [Fact]
    public void RefusesTruncatedData()
    {
        using var stream = new MemoryStream();
        NpyFile.Write(stream, new EmbeddingMatrix(2, 4, new float[8]));
        var truncated = new MemoryStream(stream.ToArray()[..^4]);
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(truncated));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void RefusesOtherDtypes()
    {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }";
        header += new string(' ', 64 - (10 + header.Length + 1) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        bytes.AddRange(new byte[8]);
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(new MemoryStream(bytes.ToArray())));
        Assert.Contains("float32", error.Message);
    }
}
