namespace MovieRecommender.Artifacts;

/// <summary>A dense row-major float32 matrix: one embedding per row.</summary>
public sealed class EmbeddingMatrix
{
    public EmbeddingMatrix(int rows, int columns, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != (long)rows * columns)
            throw new ArgumentException($"Expected {rows} x {columns} = {(long)rows * columns} values, got {values.Length}.", nameof(values));
        Rows = rows;
        Columns = columns;
        Values = values;
    }

    public int Rows { get; }
    public int Columns { get; }
    public float[] Values { get; }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>Rows [start, start + count) as raw little-endian float32 bytes, the wire format for grain messages.</summary>
    public byte[] RowsAsBytes(int start, int count) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(Values.AsSpan(start * Columns, count * Columns)).ToArray();
}
