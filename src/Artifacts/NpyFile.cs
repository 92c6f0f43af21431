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
        for (var offset = 0; offset < matrix.Values.Length; offset += FloatsPerBlock)
            stream.Write(MemoryMarshal.AsBytes(matrix.Values.AsSpan(offset, Math.Min(FloatsPerBlock, matrix.Values.Length - offset))));
    }

    /// <summary>Floats written or read at once: a span's bytes must fit an int, and 10M x 64 floats are 2.56 GB.</summary>
    private const int FloatsPerBlock = 1 << 24;

    /// <summary>The largest header this reader accepts; NumPy's own are a few dozen bytes (version 1.0 allows 65535).</summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>What a .npy header declares: a 2-D float32 C-ordered array of <paramref name="Rows"/> x <paramref name="Columns"/>.</summary>
    public readonly record struct Header(int Rows, int Columns)
    {
        public long DataBytes => (long)Rows * Columns * sizeof(float);
    }

    public static EmbeddingMatrix Read(string path)
    {
        using var stream = OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Only the header of the file at <paramref name="path"/>, checked against the file's length: nothing of
    /// the size it declares is allocated.</summary>
    public static Header ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        try
        {
            return ReadHeader(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a 2-D float32 array. The header's shape is checked against what follows it before anything is allocated
    /// (for a seekable stream, against its length; otherwise the buffer grows only with the bytes that arrive), so a
    /// header that lies about its size costs nothing.
    /// </summary>
    public static EmbeddingMatrix Read(Stream stream)
    {
        var header = ReadHeader(stream);
        var expected = header.DataBytes;
        float[] values;
        if (stream.CanSeek)
        {
            values = new float[(long)header.Rows * header.Columns];
            for (var offset = 0; offset < values.Length; offset += FloatsPerBlock)
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan(offset, Math.Min(FloatsPerBlock, values.Length - offset))));
        }
        else
        {
            // Copy at most one byte more than expected: the buffer grows with the data actually there.
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while (buffer.Length <= expected && (n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, expected + 1 - buffer.Length))) > 0)
                buffer.Write(chunk, 0, n);
            CheckLength(header, buffer.Length);
            values = new float[(long)header.Rows * header.Columns];
            buffer.Position = 0;
            buffer.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return new EmbeddingMatrix(header.Rows, header.Columns, values);
    }

    /// <summary>Reads and checks the header, leaving the stream at the first data byte; a seekable stream's length must be
    /// exactly the header plus the data it declares.</summary>
    public static Header ReadHeader(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (ReadFully(stream, prefix[..6]) < 6 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException("not a NumPy .npy file (bad magic bytes).");
        if (ReadFully(stream, prefix[6..8]) < 2) throw new InvalidDataException("truncated: the file ends inside the header.");
        var major = prefix[6];
        long headerLength;
        switch (major)
        {
            case 1:
                if (ReadFully(stream, prefix[8..10]) < 2) throw new InvalidDataException("truncated: the file ends inside the header.");
                headerLength = prefix[8] | prefix[9] << 8;
                break;
            case 2 or 3:
                Span<byte> four = stackalloc byte[4];
                if (ReadFully(stream, four) < 4) throw new InvalidDataException("truncated: the file ends inside the header.");
                headerLength = BitConverter.ToUInt32(four);
                break;
            default:
                throw new InvalidDataException($"unsupported .npy version {major}.");
        }
        if (headerLength > MaxHeaderLength)
            throw new InvalidDataException($"the header claims {headerLength} bytes; a .npy header is at most {MaxHeaderLength}.");
        if (stream.CanSeek && headerLength > stream.Length - stream.Position)
            throw new InvalidDataException($"truncated: the header claims {headerLength} bytes but only {stream.Length - stream.Position} follow.");
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength) throw new InvalidDataException("truncated: the file ends inside the header.");
        var header = Printable(Encoding.ASCII.GetString(headerBytes).Trim());

        var descr = DescrPattern().Match(header);
        if (!descr.Success) throw new InvalidDataException($"the header has no 'descr' (dtype): {header}");
        if (descr.Groups[1].Value is not ("<f4" or "|f4"))
            throw new InvalidDataException($"expected little-endian float32 data ('<f4'), the header says dtype '{descr.Groups[1].Value}'.");
        var fortran = FortranOrderPattern().Match(header);
        if (!fortran.Success) throw new InvalidDataException($"the header has no 'fortran_order': {header}");
        if (fortran.Groups[1].Value != "False") throw new InvalidDataException("Fortran-ordered (column-major) arrays are not supported; save it C-ordered (numpy.ascontiguousarray).");
        var shape = ShapePattern().Match(header);
        if (!shape.Success) throw new InvalidDataException($"the header has no 'shape': {header}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (dims.Length != 2) throw new InvalidDataException($"expected a 2-D array (rows, columns), the header says shape ({shape.Groups[1].Value.Trim()}).");
        var rows = Dimension(dims[0], "rows");
        var columns = Dimension(dims[1], "columns");
        if (rows * columns > Array.MaxLength)
            throw new InvalidDataException($"the header's shape ({rows}, {columns}) is {rows * columns} floats, more than one array can hold ({Array.MaxLength}).");
        var result = new Header((int)rows, (int)columns);
        if (stream.CanSeek) CheckLength(result, stream.Length - stream.Position);
        return result;
    }

    private static void CheckLength(Header header, long available)
    {
        if (available < header.DataBytes)
            throw new InvalidDataException($"truncated: the header says shape ({header.Rows}, {header.Columns}), {header.DataBytes} bytes of float32, but only {available} bytes follow it.");
        if (available > header.DataBytes)
            throw new InvalidDataException($"{available - header.DataBytes} trailing bytes after the ({header.Rows}, {header.Columns}) float32 data the header declares.");
    }

    private static long Dimension(string text, string what)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new InvalidDataException($"the header's {what} '{Printable(text)}' is not a size (too large, or not a whole number).");
        if (value > int.MaxValue)
            throw new InvalidDataException($"the header's {what} {value} is absurdly large (more than {int.MaxValue}).");
        return value;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    // A header is shown in messages: no line breaks or control characters, and not too long.
    private static string Printable(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length > 200 ? clean[..200] + " ..." : clean;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(\w+)")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
