using System.Globalization;
using System.Text;

namespace MovieRecommender.Index;

/// <summary>
/// The index a version's shards build, as an operator writes it (like FAISS's factory strings):
/// <c>KIND[:key=value,...]</c> with KIND one of <c>auto</c>, <c>exact</c>, <c>int8</c>, <c>pq4</c>, <c>ivf-int8</c>,
/// <c>ivf-pq4</c>, and keys <c>lists</c> and <c>probe</c> (IVF), <c>rerank</c> (every kind but exact) and
/// <c>subspaces</c> (PQ4 codes). Example: <c>ivf-int8:lists=1000,probe=20</c>. Unset parameters take the
/// defaults for the shard's size; <see cref="ToString"/> writes the canonical form, which <see cref="Parse"/> reads back.
/// </summary>
public sealed record IndexSpec(
    IndexKind Kind,
    int? Lists = null,
    int? Probe = null,
    int? Rerank = null,
    int? Subspaces = null)
{
    public const string Syntax = "KIND[:key=value,...], KIND one of auto, exact, int8, pq4, ivf-int8, ivf-pq4; keys lists, probe (ivf), rerank, subspaces (pq4)";

    public static IndexSpec Auto { get; } = new(IndexKind.Auto);

    public static IndexSpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, out IndexSpec spec, out string error)
    {
        spec = Auto;
        error = "";
        var trimmed = (text ?? "").Trim();
        var colon = trimmed.IndexOf(':');
        var kind = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        if (!IndexKinds.TryParseWritten(kind, out var parsedKind))
        {
            error = $"unknown index kind '{kind}'; expected one of {string.Join(", ", IndexKinds.Names)}, e.g. ivf-int8:lists=1000,probe=20.";
            return false;
        }
        var parsed = new IndexSpec(parsedKind);
        if (colon >= 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in trimmed[(colon + 1)..].Split(','))
            {
                var equals = part.IndexOf('=');
                var key = (equals < 0 ? part : part[..equals]).Trim().ToLowerInvariant();
                var value = equals < 0 ? "" : part[(equals + 1)..].Trim();
                if (equals < 0 || key.Length == 0)
                {
                    error = $"'{part.Trim()}' is not key=value; write e.g. {parsed.Kind.Name()}:{string.Join(',', parsed.Keys.Select(k => k + "=N"))}.";
                    return false;
                }
                if (!parsed.Keys.Contains(key))
                {
                    error = parsed.Keys.Count == 0
                        ? $"{parsed.Kind.Name()} takes no parameters, but '{key}' is given."
                        : $"{parsed.Kind.Name()} has no parameter '{key}'; it takes {string.Join(", ", parsed.Keys)}.";
                    return false;
                }
                if (!seen.Add(key))
                {
                    error = $"'{key}' is given twice.";
                    return false;
                }
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                {
                    error = $"{key} must be a whole number of at least 1, not '{value}'.";
                    return false;
                }
                parsed = key switch
                {
                    "lists" => parsed with { Lists = number },
                    "probe" => parsed with { Probe = number },
                    "rerank" => parsed with { Rerank = number },
                    _ => parsed with { Subspaces = number },
                };
            }
        }
        if (parsed.Probe > parsed.Lists)
        {
            error = $"probe {parsed.Probe} is more than lists {parsed.Lists}: a query cannot probe more lists than there are.";
            return false;
        }
        if (parsed.Subspaces is { } subspaces && (subspaces % 2 != 0 || subspaces > 256))
        {
            error = $"subspaces must be even and at most 256, not {subspaces}.";
            return false;
        }
        spec = parsed;
        return true;
    }

    /// <summary>The parameters this kind takes.</summary>
    public IReadOnlyList<string> Keys => Kind switch
    {
        IndexKind.Auto or IndexKind.Exact => [],
        IndexKind.Int8 => ["rerank"],
        IndexKind.Pq4 => ["subspaces", "rerank"],
        IndexKind.IvfPq4 => ["lists", "probe", "subspaces", "rerank"],
        _ => ["lists", "probe", "rerank"],
    };

    public override string ToString()
    {
        var text = new StringBuilder(Kind.Name());
        var separator = ':';
        void Add(string key, int? value)
        {
            if (value is null) return;
            text.Append(separator).Append(key).Append('=').Append(value.Value.ToString(CultureInfo.InvariantCulture));
            separator = ',';
        }
        Add("lists", Lists);
        Add("probe", Probe);
        Add("subspaces", Subspaces);
        Add("rerank", Rerank);
        return text.ToString();
    }

    /// <summary>
    /// The concrete kind for a shard of <paramref name="rows"/> x <paramref name="dim"/>: <see cref="Auto"/> picks by
    /// size (see <see cref="IndexDefaults"/>); an explicit kind stays as written. Parameters left unset stay unset
    /// (the index fills them in and reports them in <see cref="IVectorIndex.Spec"/>).
    /// </summary>
    public IndexSpec Resolve(int rows, int dim) => Kind == IndexKind.Auto ? IndexDefaults.Choose(rows, dim) : this;

    /// <summary>The build options with this spec's kind and parameters set (unset ones keep <paramref name="options"/>' values).</summary>
    public IndexOptions ApplyTo(IndexOptions options) => options with
    {
        Kind = Kind,
        IvfLists = Lists ?? options.IvfLists,
        IvfProbe = Probe ?? options.IvfProbe,
        Rerank = Rerank ?? options.Rerank,
        PqSubspaces = Subspaces ?? options.PqSubspaces,
    };
}
