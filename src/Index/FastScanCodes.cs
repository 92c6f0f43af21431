namespace MovieRecommender.Index;

/// <summary>
/// PQ4 codes laid out for the in-register lookup (FAISS FastScan, ScaNN LUT16): blocks of 32 rows; per pair of
/// subspaces (2p, 2p+1) 32 bytes, the low 16 for subspace 2p and the high 16 for 2p+1, byte j holding row j's code
/// in its low nibble and row j+16's in its high nibble. One 256-bit <c>vpshufb</c> then looks up 32 codes of two
/// subspaces in two 16-entry tables held in one register.
/// </summary>
internal sealed class FastScanCodes
{
    public const int BlockRows = 32;
    public const int PairBytes = 32;

    private FastScanCodes(int subspaces, byte[] packed, int positions)
    {
        Subspaces = subspaces;
        Packed = packed;
        Positions = positions;
    }

    public int Subspaces { get; }

    public byte[] Packed { get; }

    public int Positions { get; }

    public int BlockBytes => Subspaces / 2 * PairBytes;

    /// <summary>Position p holds row <c>order[p]</c> (negative: padding) or row p when order is null.</summary>
    public static FastScanCodes Pack(byte[] codes, int subspaces, int rows, int[]? order, int positions, int threads)
    {
        var padded = (positions + BlockRows - 1) / BlockRows * BlockRows;
        var blocks = padded / BlockRows;
        var blockBytes = subspaces / 2 * PairBytes;
        var packed = new byte[(long)blocks * blockBytes];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var blockBase = (long)b * blockBytes;
            for (var r = 0; r < BlockRows; r++)
            {
                var p = b * BlockRows + r;
                var row = order is null ? (p < rows ? p : -1) : (p < order.Length ? order[p] : -1);
                if (row < 0) continue;
                for (var m = 0; m < subspaces; m++)
                {
                    var code = codes[(long)row * subspaces + m];
                    var at = blockBase + (m >> 1) * PairBytes + (m & 1) * 16 + (r & 15);
                    packed[at] |= (byte)(r < 16 ? code : code << 4);
                }
            }
        });
        return new FastScanCodes(subspaces, packed, padded);
    }
}
