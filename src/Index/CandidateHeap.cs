using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MovieRecommender.Index;

/// <summary>
/// The K' best approximate (integer) scores of a scan, kept as a reservoir (FAISS's ReservoirTopN): candidates above
/// the threshold are appended to a buffer of 2K'; when it fills, a selection keeps the best K' and raises the
/// threshold to the K'-th score. Amortized O(1) per accepted candidate, unlike a heap's O(log K'). Chunks of scores
/// are filtered eight at a time against the threshold, so almost every row costs one compare.
/// </summary>
internal sealed class CandidateHeap
{
    private readonly int[] _scores;
    private readonly int[] _ids;
    private int _count;
    private int _threshold = int.MinValue;

    public CandidateHeap(int capacity)
    {
        Capacity = Math.Max(capacity, 0);
        var buffer = Math.Max(2 * Capacity, Capacity + 64) + 8;
        _scores = new int[buffer];
        _ids = new int[buffer];
    }

    public int Capacity { get; }

    /// <summary>Candidates held (after <see cref="Finish"/>, at most <see cref="Capacity"/>).</summary>
    public int Count => Math.Min(_count, Capacity);

    /// <summary>A score must exceed this to enter.</summary>
    public int Threshold => _threshold;

    /// <summary>The best <see cref="Capacity"/> candidates' ids, in no particular order.</summary>
    public ReadOnlySpan<int> Finish()
    {
        if (_count > Capacity) SelectExactly();
        return _ids.AsSpan(0, _count);
    }

    /// <summary>
    /// Offers rows [first, first + scores.Length) of a scan. <paramref name="idMap"/> maps scan positions to ids
    /// (negative: padding); empty means position = id, with positions at or past <paramref name="validCount"/> padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OfferChunk(ReadOnlySpan<int> scores, int first, ReadOnlySpan<int> idMap, int validCount, Exclusions exclusions, bool portable)
    {
        if (Capacity == 0) return;
        var i = 0;
        if (!portable && Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(scores);
            var threshold = Vector256.Create(_threshold);
            for (; i + 8 <= scores.Length; i += 8)
            {
                var mask = Vector256.GreaterThan(Vector256.LoadUnsafe(ref s, (nuint)i), threshold).ExtractMostSignificantBits();
                if (mask == 0) continue;
                while (mask != 0)
                {
                    var lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    OfferOne(scores[i + lane], first + i + lane, idMap, validCount, exclusions);
                }
                threshold = Vector256.Create(_threshold);
            }
        }
        for (; i < scores.Length; i++)
        {
            if (scores[i] > _threshold) OfferOne(scores[i], first + i, idMap, validCount, exclusions);
        }
    }

    /// <summary>
    /// Offers rows [first, first + scores.Length) whose ids are their positions, with padding and excluded rows
    /// already masked to <see cref="int.MinValue"/>. Eight scores at a time: the ones above the threshold are
    /// left-packed into the buffer with one permute (AVX2), or appended in the same order by the portable path,
    /// so both keep the same candidates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OfferMasked(ReadOnlySpan<int> scores, int first, bool portable)
    {
        if (Capacity == 0) return;
        var n = scores.Length;
        var i = 0;
        if (!portable && Avx2.IsSupported)
        {
            ref var s = ref MemoryMarshal.GetReference(scores);
            var threshold = Vector256.Create(_threshold);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref s, (nuint)i);
                var mask = Vector256.GreaterThan(v, threshold).ExtractMostSignificantBits();
                if (mask == 0) continue;
                Pack(v, mask, first + i);
                threshold = Vector256.Create(_threshold);
            }
        }
        for (; i < n; i += 8)
        {
            var end = Math.Min(n, i + 8);
            var any = false;
            for (var j = i; j < end; j++) any |= scores[j] > _threshold;
            if (!any) continue;
            if (_count + 8 > _scores.Length) Shrink();
            for (var j = i; j < end; j++)
            {
                if (scores[j] <= _threshold) continue;
                _scores[_count] = scores[j];
                _ids[_count] = first + j;
                _count++;
            }
        }
    }

    /// <summary>Appends the lanes of v above the threshold (mask) in order, ids first + lane; shrinks first when full.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private unsafe void Pack(Vector256<int> v, uint mask, int first)
    {
        if (_count + 8 > _scores.Length)
        {
            Shrink();
            mask = Vector256.GreaterThan(v, Vector256.Create(_threshold)).ExtractMostSignificantBits();
            if (mask == 0) return;
        }
        fixed (int* permutations = LeftPack)
        fixed (int* bufferScores = _scores)
        fixed (int* bufferIds = _ids)
        {
            var permutation = Avx.LoadVector256(permutations + mask * 8);
            Avx.Store(bufferScores + _count, Avx2.PermuteVar8x32(v, permutation));
            Avx.Store(bufferIds + _count, Avx2.PermuteVar8x32(Vector256.Create(first) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), permutation));
        }
        _count += BitOperations.PopCount(mask);
    }

    /// <summary>For each 8-bit mask, the permutation that moves the selected lanes to the front, in order.</summary>
    private static readonly int[] LeftPack = BuildLeftPack();

    private static int[] BuildLeftPack()
    {
        var table = new int[256 * 8];
        for (var mask = 0; mask < 256; mask++)
        {
            var at = 0;
            for (var lane = 0; lane < 8; lane++)
            {
                if ((mask & (1 << lane)) != 0) table[mask * 8 + at++] = lane;
            }
            while (at < 8) table[mask * 8 + at++] = 0;
        }
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OfferOne(int score, int position, ReadOnlySpan<int> idMap, int validCount, Exclusions exclusions)
    {
        if (score <= _threshold) return;
        int id;
        if (idMap.IsEmpty)
        {
            if (position >= validCount) return;
            id = position;
        }
        else
        {
            id = idMap[position];
            if (id < 0) return;
        }
        if (exclusions.Contains(id)) return;
        if (_count == _scores.Length) Shrink();
        if (score <= _threshold) return;
        _scores[_count] = score;
        _ids[_count] = id;
        _count++;
    }

    /// <summary>
    /// Makes room: a histogram of the buffered scores gives the highest bin edge t with at least K' scores at or above
    /// it; those are kept (one branch-free pass) and later candidates must reach t. Falls back to an exact selection
    /// when ties would keep the buffer full.
    /// </summary>
    private void Shrink()
    {
        var k = Capacity;
        var scores = _scores.AsSpan(0, _count);
        var min = int.MaxValue;
        var max = int.MinValue;
        foreach (var score in scores)
        {
            min = Math.Min(min, score);
            max = Math.Max(max, score);
        }
        var range = (long)max - min;
        var shift = 0;
        while ((range >> shift) >= Bins) shift++;
        Span<int> histogram = stackalloc int[Bins];
        histogram.Clear();
        foreach (var score in scores) histogram[(int)(((long)score - min) >> shift)]++;
        var above = 0;
        var bin = (int)(range >> shift);
        for (; bin > 0; bin--)
        {
            above += histogram[bin];
            if (above >= k) break;
        }
        var cut = (int)(min + ((long)bin << shift));
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var score = _scores[i];
            _scores[kept] = score;
            _ids[kept] = _ids[i];
            kept += score >= cut ? 1 : 0;
        }
        _count = kept;
        _threshold = Math.Max(_threshold, cut - 1);
        // Too many ties at the cut to make room: select exactly among the kept.
        if (kept + 8 > _scores.Length - k / 4) SelectExactly();
    }

    private const int Bins = 2048;

    /// <summary>Keeps exactly the best <see cref="Capacity"/> candidates and raises the threshold to the worst of them.</summary>
    private void SelectExactly()
    {
        var k = Capacity;
        // Quickselect: afterwards [0, k) holds scores >= scores[k - 1] >= every score in [k, count).
        int lo = 0, hi = _count - 1, target = k - 1;
        while (lo < hi)
        {
            var pivot = Median(_scores[lo], _scores[(lo + hi) >>> 1], _scores[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (_scores[i] > pivot) i++;
                while (_scores[j] < pivot) j--;
                if (i <= j)
                {
                    (_scores[i], _scores[j]) = (_scores[j], _scores[i]);
                    (_ids[i], _ids[j]) = (_ids[j], _ids[i]);
                    i++;
                    j--;
                }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else break;
        }
        _count = k;
        var min = int.MaxValue;
        for (var i = 0; i < k; i++) min = Math.Min(min, _scores[i]);
        // Later candidates must beat the K'-th best: equal scores cannot improve the set.
        _threshold = min;
    }

    private static int Median(int a, int b, int c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
