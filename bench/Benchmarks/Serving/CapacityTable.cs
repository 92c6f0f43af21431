using System.Globalization;
using System.Text;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>
/// One index tier's measured figures, the inputs of the capacity table: <see cref="SiloCpuMsPerRecommendation"/> and
/// <see cref="CpuBudgetMsPerSecond"/> (the CPU the silo spent per second: what one silo can give) at the highest
/// sustained rate.
/// </summary>
public sealed record TierCapacity(
    string Index,
    string? ResolvedSpec,
    int Movies,
    int Dim,
    long FloatBytes,
    long IndexExtraBytes,
    double? SiloRssDeltaMb,
    double? SiloCpuMsPerRecommendation,
    double InProcessCpuMsPerRecommendation,
    double? HighestSustainedRps,
    double? CpuBudgetMsPerSecond)
{
    /// <summary>Bytes per movie held by the shards: its float32 row plus the index's share.</summary>
    public double BytesPerMovie => (FloatBytes + IndexExtraBytes) / (double)Math.Max(1, Movies);

    /// <summary>CPU ms per recommendation over <paramref name="movies"/>: Orleans' part as measured, the search's part scaled linearly from the measured catalogue.</summary>
    public double? CpuMsPerRecommendation(long movies) => SiloCpuMsPerRecommendation is { } silo
        ? Math.Max(0, silo - InProcessCpuMsPerRecommendation) + InProcessCpuMsPerRecommendation * movies / Movies
        : null;

    public int? SilosFor(long movies, double rps, double siloMemoryBytes)
    {
        if (CpuMsPerRecommendation(movies) is not { } cpu || CpuBudgetMsPerSecond is not { } budget || budget <= 0) return null;
        var forCpu = (int)Math.Ceiling(rps * cpu / budget);
        var forMemory = (int)Math.Ceiling(movies * BytesPerMovie / siloMemoryBytes);
        return Math.Max(1, Math.Max(forCpu, forMemory));
    }
}

/// <summary>
/// The capacity table the serve benchmark writes (bench/results/capacity.md, and the README's marked section): per
/// index tier, memory per million movies, CPU per recommendation, the highest sustained rate of one silo, and the silos
/// a catalogue size and a request rate need, by a stated formula from those figures.
/// </summary>
public static class CapacityTable
{
    public static readonly long[] Catalogues = [1_000_000, 10_000_000, 100_000_000];
    public static readonly double[] Rates = [1_000, 10_000];

    public static string ToMarkdown(IReadOnlyList<TierCapacity> tiers, double siloMemoryBytes, string measuredOn, string source)
    {
        var text = new StringBuilder();
        var header = new List<string> { "index (resolved)", "memory per 1M movies (MB)", "silo RSS after publish, per 1M movies (MB)", "highest sustained (req/s, one silo)", "silo CPU per rec. at that rate (ms)", "in-process search per rec. (ms)" };
        foreach (var n in Catalogues)
            foreach (var r in Rates)
                header.Add($"silos: {Short(n)} movies, {Short((long)r)} req/s");
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---:|")));
        foreach (var t in tiers)
        {
            var cells = new List<string>
            {
                t.ResolvedSpec is { } spec && spec != t.Index ? $"{t.Index} ({spec})" : t.Index,
                F(t.BytesPerMovie, "F0"),
                F(t.SiloRssDeltaMb is { } mb ? mb * 1e6 / t.Movies : null, "F0"),
                F(t.HighestSustainedRps, "F0"),
                F(t.SiloCpuMsPerRecommendation, "F3"),
                F(t.InProcessCpuMsPerRecommendation, "F3"),
            };
            foreach (var n in Catalogues)
                foreach (var r in Rates)
                    cells.Add(t.SilosFor(n, r, siloMemoryBytes)?.ToString(CultureInfo.InvariantCulture) ?? "-");
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        var gb = (siloMemoryBytes / 1e9).ToString("G4", CultureInfo.InvariantCulture);
        text.AppendLine(
            $"Measured on {measuredOn} ({source}). Memory per movie: its float32 row plus the index's extra bytes (codes, centroids, id map); "
            + "the silo's RSS after publishing, which also holds the users, ids and titles, beside it. "
            + $"Silos = max(⌈R × c(N) / B⌉, ⌈N × m / {gb} GB⌉), where c(N) = (c_silo − c_search) + c_search × N / N₀ is the CPU per "
            + "recommendation over N movies (Orleans' part as measured, the search's part scaled linearly from the N₀ measured: a scan, or IVF "
            + "probing a fixed share of its lists, reads a fixed share of the rows), B the CPU the silo spent per second at its highest sustained rate (what one silo gives), "
            + "m the memory per movie. It assumes a request's fan-out costs the same spread over several silos, so read it as a lower bound.");
        return text.ToString();
    }

    /// <summary>Replaces the text between <c>&lt;!-- NAME:begin --&gt;</c> and <c>&lt;!-- NAME:end --&gt;</c>; throws when the markers are missing.</summary>
    public static string ReplaceMarkedSection(string document, string name, string content, string documentName)
    {
        var begin = $"<!-- {name}:begin -->";
        var end = $"<!-- {name}:end -->";
        var from = document.IndexOf(begin, StringComparison.Ordinal);
        var to = document.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
            throw new UserFacingException($"{documentName}: no '{begin}' ... '{end}' section to replace; add the two markers where the table goes.");
        return document[..(from + begin.Length)] + "\n" + content.TrimEnd() + "\n" + document[to..];
    }

    private static string Short(long n) =>
        n >= 1_000_000 && n % 1_000_000 == 0 ? $"{n / 1_000_000}M" : n >= 1000 && n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
