using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// Many short strings (ids, titles) as one UTF-8 byte array and an end offset per string. A million ids and titles
/// as .NET strings were two million objects of 40-60 bytes each, UTF-16 and headers included, that every full
/// garbage collection walked; here they are two arrays. A string is made again only when it is read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Utf8Column
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // String i is Bytes[Ends[i - 1]..Ends[i]].
    [Id(0)] public byte[] Bytes { get; init; } = [];
    [Id(1)] public int[] Ends { get; init; } = [];

    public int Count => Ends.Length;

    public string this[int index] => Encoding.UTF8.GetString(Utf8At(index));

    public ReadOnlySpan<byte> Utf8At(int index)
    {
        var start = index == 0 ? 0 : Ends[index - 1];
        return Bytes.AsSpan(start, Ends[index] - start);
    }

    /// <summary>The strings in their order.</summary>
    /// <exception cref="ArgumentException">A string is not valid UTF-16 (a lone surrogate), so it would not read back the same.</exception>
    public static Utf8Column From(IReadOnlyList<string> strings, string what = "string")
    {
        var ends = new int[strings.Count];
        var total = 0;
        for (var i = 0; i < strings.Count; i++)
            ends[i] = total = checked(total + Utf8ByteCount(strings[i] ?? throw new ArgumentException($"{what} {i} is missing."), what));
        var bytes = new byte[total];
        for (var i = 0; i < strings.Count; i++) Encoding.UTF8.GetBytes(strings[i], bytes.AsSpan(i == 0 ? 0 : ends[i - 1]));
        return new Utf8Column { Bytes = bytes, Ends = ends };
    }

    /// <summary>The UTF-8 length of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">It is not valid UTF-16 (a lone surrogate), so it would not read back the same.</exception>
    public static int Utf8ByteCount(string value, string what = "string")
    {
        try { return StrictUtf8.GetByteCount(value); }
        catch (EncoderFallbackException) { throw new ArgumentException($"{what} '{value}' is not valid UTF-16 text (it holds a lone surrogate)."); }
    }

    /// <summary>
    /// The strings in byte order, for <see cref="IndexOfSorted"/>; <paramref name="order"/>[i] is the position in
    /// <paramref name="strings"/> of sorted string i. Equal strings stay in their order, so the last of a run is the last given.
    /// </summary>
    public static Utf8Column Sorted(IReadOnlyList<string> strings, out int[] order, string what = "string")
    {
        var given = From(strings, what);
        var sorted = new int[given.Count];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = i;
        Array.Sort(sorted, (a, b) => given.Utf8At(a).SequenceCompareTo(given.Utf8At(b)) is var c && c != 0 ? c : a.CompareTo(b));
        order = sorted;
        return given.Select(sorted);
    }

    /// <summary>The strings at <paramref name="positions"/>, in that order.</summary>
    public Utf8Column Select(ReadOnlySpan<int> positions)
    {
        var ends = new int[positions.Length];
        var total = 0;
        for (var i = 0; i < positions.Length; i++) ends[i] = total = checked(total + Utf8At(positions[i]).Length);
        var bytes = new byte[total];
        for (var i = 0; i < positions.Length; i++) Utf8At(positions[i]).CopyTo(bytes.AsSpan(i == 0 ? 0 : ends[i - 1]));
        return new Utf8Column { Bytes = bytes, Ends = ends };
    }

    /// <summary>The strings [<paramref name="first"/>, first + <paramref name="count"/>) as .NET strings.</summary>
    public string[] Slice(int first, int count)
    {
        var strings = new string[count];
        for (var i = 0; i < count; i++) strings[i] = this[first + i];
        return strings;
    }

    /// <summary>Where <paramref name="value"/> is in a column made by <see cref="Sorted"/> (its first if several), or -1.</summary>
    public int IndexOfSorted(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = max > 256 ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            var buffer = rented is null ? stackalloc byte[max] : rented;
            // A string that is not valid UTF-16 was refused on the way in, so it is not here.
            if (Utf8.FromUtf16(value, buffer, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done) return -1;
            var key = buffer[..written];
            int lo = 0, hi = Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = lo + (hi - lo) / 2;
                var order = Utf8At(mid).SequenceCompareTo(key);
                if (order == 0) found = mid;
                if (order < 0) lo = mid + 1; else hi = mid - 1;
            }
            return found;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
