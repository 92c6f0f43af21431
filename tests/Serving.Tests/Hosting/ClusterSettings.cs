using Microsoft.Extensions.Configuration;
using MovieRecommender.Cluster;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>The section <c>Cluster</c> bound from settings without being checked, and the validator's verdict on it.</summary>
internal static class ClusterSettings
{
    public static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    public static RecommenderClusterOptions Bound(params (string Key, string Value)[] settings) =>
        Configuration(settings).GetSection(RecommenderClusterOptions.Section).Get<RecommenderClusterOptions>() ?? new();

    /// <summary>The first fault <see cref="RecommenderClusterOptionsValidator"/> finds, or null.</summary>
    public static string? Problem(RecommenderClusterOptions options) =>
        new RecommenderClusterOptionsValidator().Validate(null, options) is { Failed: true } result ? result.FailureMessage : null;
}
