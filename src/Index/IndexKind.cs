using System.ComponentModel;
using System.Globalization;

namespace MovieRecommender.Index;

/// <summary>
/// The kind of index, one name for one idea: what an <see cref="IndexSpec"/> starts with, what the silo's
/// <c>Index:Kind</c> sets, and what telemetry reports (as <see cref="IndexKinds.Name"/>, e.g. <c>ivf-int8</c>).
/// Every kind returns exact float32 scores.
/// </summary>
[TypeConverter(typeof(IndexKindConverter))]
public enum IndexKind
{
    /// <summary>Pick by shard size (<see cref="IndexDefaults"/>): <see cref="Exact"/> for small shards, <see cref="Int8"/> above, <see cref="IvfInt8"/> for large ones.</summary>
    Auto = 0,

    /// <summary>Brute force over the float32 rows (<see cref="FlatIndex"/>): exact, no build.</summary>
    Exact = 1,

    /// <summary>int8 codes with per-dimension scales, a SIMD integer scan (<see cref="FlatCodeIndex"/>), an exact rerank of the best K' (<see cref="RefineIndex"/>).</summary>
    Int8 = 2,

    /// <summary>4-bit product quantization scanned with 16-entry lookup tables in registers (<see cref="FlatCodeIndex"/>), then the exact rerank.</summary>
    Pq4 = 3,

    /// <summary>k-means lists, a few probed per query, each scanned with int8 codes of its rows' residuals (<see cref="IvfIndex"/>), then the exact rerank.</summary>
    IvfInt8 = 4,

    /// <summary>The same lists scanned with PQ4 codes.</summary>
    IvfPq4 = 5,
}

/// <summary>An <see cref="IndexKind"/>'s written name and what it implies.</summary>
public static class IndexKinds
{
    /// <summary>Every kind as written, in order: auto, exact, int8, pq4, ivf-int8, ivf-pq4.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<IndexKind>().Select(Name)];

    /// <summary>The kind as written in a spec and reported by telemetry: auto, exact, int8, pq4, ivf-int8 or ivf-pq4.</summary>
    public static string Name(this IndexKind kind) => kind switch
    {
        IndexKind.Auto => "auto",
        IndexKind.Exact => "exact",
        IndexKind.Int8 => "int8",
        IndexKind.Pq4 => "pq4",
        IndexKind.IvfInt8 => "ivf-int8",
        IndexKind.IvfPq4 => "ivf-pq4",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a kind as a spec writes it, in any case (<c>ivf-pq4</c>); <c>ivf</c> is <c>ivf-int8</c>.</summary>
    public static bool TryParseWritten(string? text, out IndexKind kind) => TryMatch(text, kind => kind.Name(), out kind);

    /// <summary>Reads a written kind, or the enum's own name (<c>IvfPq4</c>), as configuration may give either.</summary>
    public static bool TryParse(string? text, out IndexKind kind) =>
        TryParseWritten(text, out kind) || TryMatch(text, kind => kind.ToString().ToLowerInvariant(), out kind);

    private static bool TryMatch(string? text, Func<IndexKind, string> nameOf, out IndexKind kind)
    {
        var name = (text ?? "").Trim().ToLowerInvariant();
        kind = name == "ivf" ? IndexKind.IvfInt8 : Enum.GetValues<IndexKind>().FirstOrDefault(k => nameOf(k) == name, (IndexKind)(-1));
        return Enum.IsDefined(kind);
    }

    public static bool IsIvf(this IndexKind kind) => kind is IndexKind.IvfInt8 or IndexKind.IvfPq4;

    public static bool UsesPq4(this IndexKind kind) => kind is IndexKind.Pq4 or IndexKind.IvfPq4;
}

/// <summary>Lets configuration (<c>Index:Kind=ivf-pq4</c>) take the written names, not only the enum's.</summary>
public sealed class IndexKindConverter : EnumConverter
{
    public IndexKindConverter() : base(typeof(IndexKind))
    {
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? IndexKinds.TryParse(text, out var kind) ? kind
                : throw new FormatException($"'{text}' is not an index kind; expected one of {string.Join(", ", IndexKinds.Names)}.")
            : base.ConvertFrom(context, culture, value);
}
