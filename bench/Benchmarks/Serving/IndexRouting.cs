using System.Globalization;
using MovieRecommender.ClusterClient.Publishing;
using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>
/// How an index spec reaches the shards of a published version: the one place to change once the publisher carries
/// a spec with the version. Until then the spec is the silo's own <see cref="IndexOptions"/> (section <c>Index</c>,
/// silo-wide), so the serve benchmark starts one silo per spec, and the publish options carry none.
/// </summary>
public static class IndexRouting
{
    /// <summary>True once the publisher applies the spec itself (then <see cref="SiloEnvironment"/> returns nothing).
    /// A property, not a constant, so that turning it on leaves no unreachable code behind.</summary>
    public static bool PublishCarriesSpec => false;

    /// <summary>The silo's environment that makes its shards build <paramref name="spec"/> (nothing for auto: the silo's default).</summary>
    public static Dictionary<string, string?> SiloEnvironment(IndexSpec spec)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (PublishCarriesSpec || spec.Tier == IndexTier.Auto) return environment;
        var options = spec.ApplyTo(IndexOptions.Default);
        environment["Index__Tier"] = options.Tier.ToString();
        if (spec.Tier == IndexTier.Ivf) environment["Index__IvfCodes"] = options.IvfCodes.ToString();
        void Set(string key, int? value) { if (value is { } v) environment[key] = v.ToString(CultureInfo.InvariantCulture); }
        Set("Index__IvfLists", spec.Lists);
        Set("Index__IvfProbe", spec.Probe);
        Set("Index__Rerank", spec.Rerank);
        Set("Index__PqSubspaces", spec.Subspaces);
        return environment;
    }

    /// <summary>The publish options of a version served with <paramref name="spec"/>.</summary>
    public static PublishOptions PublishOptions(IndexSpec spec, int candidateShards, int userShards) =>
        // When the publisher takes a spec: new PublishOptions { ..., Index = spec } and PublishCarriesSpec = true.
        new() { CandidateShards = candidateShards, UserShards = userShards };
}
