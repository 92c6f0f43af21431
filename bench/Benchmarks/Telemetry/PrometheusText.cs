using System.Globalization;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>One sample of the Prometheus text exposition format: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A histogram's series (one label set, <c>le</c> aside): count, sum and cumulative buckets.</summary>
public sealed record PrometheusHistogram(string BaseName, IReadOnlyDictionary<string, string> Labels, double Count, double Sum, IReadOnlyList<(double Le, double Count)> Buckets)
{
    public double? Mean => Count > 0 ? Sum / Count : null;

    /// <summary>The q-quantile estimated from the cumulative buckets (linear inside a bucket, as PromQL's histogram_quantile).</summary>
    public double? Quantile(double q)
    {
        if (Count <= 0 || Buckets.Count == 0) return null;
        var rank = q * Count;
        double previousLe = 0, previousCount = 0;
        foreach (var (le, count) in Buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(le)) return previousLe;
                var inBucket = count - previousCount;
                return inBucket <= 0 ? le : previousLe + (le - previousLe) * (rank - previousCount) / inBucket;
            }
            previousLe = le;
            previousCount = count;
        }
        return previousLe;
    }
}

/// <summary>Parses /metrics text and gathers histograms by name prefix (the exporter may add a unit suffix).</summary>
public static class PrometheusText
{
    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            string name;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string rest;
            var brace = line.IndexOf('{');
            var space = line.IndexOf(' ');
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                var close = FindClose(line, brace);
                ParseLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                if (space < 0) continue;
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var valueText = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (valueText is null) continue;
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
            };
            samples.Add(new PrometheusSample(name, labels, value));
        }
        return samples;
    }

    private static int FindClose(string line, int open)
    {
        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            if (line[i] == '\\') { i++; continue; }
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == '}' && !quoted) return i;
        }
        return line.Length - 1;
    }

    private static void ParseLabels(string text, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0) break;
            var key = text[i..eq].Trim().TrimStart(',').Trim();
            var j = eq + 1;
            if (j >= text.Length || text[j] != '"') break;
            var value = new System.Text.StringBuilder();
            for (j++; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\' && j + 1 < text.Length)
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else value.Append(text[j]);
            }
            labels[key] = value.ToString();
            i = j + 1;
        }
    }

    /// <summary>
    /// Histograms whose base name (the sample name without _bucket/_sum/_count) starts with <paramref name="prefix"/>
    /// and is not excluded, one per label set.
    /// </summary>
    public static List<PrometheusHistogram> Histograms(IEnumerable<PrometheusSample> samples, string prefix, Func<string, bool>? exclude = null)
    {
        var groups = new Dictionary<string, (string Base, Dictionary<string, string> Labels, double Count, double Sum, List<(double, double)> Buckets)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            string? kind = sample.Name.EndsWith("_bucket", StringComparison.Ordinal) ? "bucket"
                : sample.Name.EndsWith("_sum", StringComparison.Ordinal) ? "sum"
                : sample.Name.EndsWith("_count", StringComparison.Ordinal) ? "count" : null;
            if (kind is null) continue;
            var baseName = sample.Name[..sample.Name.LastIndexOf('_')];
            if (!baseName.StartsWith(prefix, StringComparison.Ordinal) || (exclude?.Invoke(baseName) ?? false)) continue;
            var labels = sample.Labels.Where(p => p.Key != "le").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var key = baseName + "|" + string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            if (!groups.TryGetValue(key, out var g)) g = (baseName, labels, 0, 0, []);
            switch (kind)
            {
                case "sum": g.Sum = sample.Value; break;
                case "count": g.Count = sample.Value; break;
                default:
                    var le = sample.Labels.TryGetValue("le", out var l)
                        ? l == "+Inf" ? double.PositiveInfinity : double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture)
                        : double.PositiveInfinity;
                    g.Buckets.Add((le, sample.Value));
                    break;
            }
            groups[key] = g;
        }
        return groups.Values.Select(g => new PrometheusHistogram(g.Base, g.Labels, g.Count, g.Sum, g.Buckets.OrderBy(b => b.Item1).ToList())).ToList();
    }
}
