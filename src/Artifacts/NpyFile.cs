using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace MovieRecommender.Artifacts;

/// <summary>
/// Reads and writes 2-D float32 arrays in NumPy's .npy format (version 1.0), so artifacts open in NumPy,
/// PyTorch and vector databases' import tools without conversion.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, EmbeddingMatrix matrix)
    {
        using var stream = File.Create(path);
        Write(stream, matrix);
    }

    public static void Write(Stream stream, EmbeddingMatrix matrix)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({matrix.Rows}, {matrix.Columns}), }}";
        // Magic (6) + version (2) + header length (2) + header, padded with spaces and ending in '\n'
        // so that the data starts on a 64-byte boundary, as NumPy writes it.
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = [(byte)(header.Length & 0xff), (byte)(header.Length >> 8)];
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        stream.Write(MemoryMarshal.AsBytes(matrix.Values.AsSpan()));
    }

    public static EmbeddingMatrix Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static EmbeddingMatrix Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        var magic = reader.ReadBytes(6);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a NumPy .npy file (bad magic bytes).");
        var major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major switch
        {
            1 => reader.ReadUInt16(),
            2 or 3 => checked((int)reader.ReadUInt32()),
            _ => throw new InvalidDataException($"unsupported .npy version {major}."),
        };
        var header = Encoding.ASCII.GetString(reader.ReadBytes(headerLength));
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value is not ("<f4" or "|f4"))
            throw new InvalidDataException($"expected float32 data ('<f4'), header says {header.Trim()}.");
        if (FortranPattern().IsMatch(header)) throw new InvalidDataException("Fortran-ordered arrays are not supported.");
        var shape = ShapePattern().Match(header);
        if (!shape.Success) throw new InvalidDataException($"expected a 2-D shape, header says {header.Trim()}.");
        var rows = int.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture);
        var columns = int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture);
        var values = new float[checked(rows * columns)];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var read = 0;
        while (read < bytes.Length)
        {
            var n = stream.Read(bytes[read..]);
            if (n == 0) throw new InvalidDataException($"truncated: the header says {rows} x {columns} floats ({bytes.Length} bytes) but only {read} bytes follow.");
            read += n;
        }
        if (stream.ReadByte() != -1) throw new InvalidDataException($"trailing bytes after {rows} x {columns} floats.");
        return new EmbeddingMatrix(rows, columns, values);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)")]
    private static partial Regex ShapePattern();
}
