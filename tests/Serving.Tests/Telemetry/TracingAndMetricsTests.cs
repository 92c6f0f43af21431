using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.Grains;
using MovieRecommender.Index;
using MovieRecommender.Operations;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MovieRecommender.Serving.Tests.Telemetry;

/// <summary>What an operator sees of a recommendation: one trace from the caller to every shard, metrics, served recall.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingAndMetricsTests(TelemetryClusterFixture fixture)
{
    private static readonly ActivitySource Caller = new("MovieRecommender.Tests");

    /// <summary>What the fixture's exporter shows of a user id: no key is configured, so this process's random one.</summary>
    private static readonly UserIdRedaction Hashed = UserIdRedaction.From(new TelemetryOptions());

    [Fact]
    public async Task OneRecommendationIsOneTraceFromTheCallerThroughTheUserGrainToEveryShard()
    {
        const int shards = 3;
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 10, items: 90, dim: 8, seed: 901));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = shards, UserShards = 2 });
        var user = artifact.Users[0].Id;

        ActivityTraceId traceId;
        using (var root = Caller.StartActivity("test.recommend", ActivityKind.Client))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            await fixture.Client.GetGrain<IUserGrain>(user).Recommend(7);
        }
        fixture.Tracing.ForceFlush();

        var trace = Snapshot(fixture.Spans).Where(s => s.TraceId == traceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        // One root, the caller's; every other span hangs under it.
        var roots = trace.Where(s => !byId.ContainsKey(s.ParentSpanId)).ToList();
        Assert.Equal("test.recommend", Assert.Single(roots).DisplayName);
        Assert.All(trace.Where(s => s != roots[0]), s => Assert.Contains(roots[0], Ancestors(s, byId)));

        var recommend = Assert.Single(trace, s => s.DisplayName == "recommend");
        // The user as the exported span names it: hashed, under this process's key (none is configured).
        Assert.Equal(Hashed.Of(user), recommend.GetTagItem("recommender.user"));
        // Nor does Orleans' grain id give the user away: user/ID on the calls to and from the user grain is hashed too.
        var grainId = fixture.Client.GetGrain<IUserGrain>(user).GetGrainId().ToString();
        Assert.Equal($"user/{user}", grainId);
        bool Names(Activity span, string suffix) => span.TagObjects.Any(t => t.Key.EndsWith(suffix, StringComparison.Ordinal)
            && t.Value?.ToString() == $"user/{Hashed.Of(user)}");
        Assert.Contains(trace, s => Names(s, "target_id"));
        Assert.Contains(trace, s => Names(s, "source_id"));
        Assert.DoesNotContain(trace, s => s.DisplayName.Contains(grainId, StringComparison.Ordinal)
            || s.TagObjects.Any(t => t.Value is string v && (v == user || v.Contains(grainId, StringComparison.Ordinal))));
        Assert.Equal(7, recommend.GetTagItem("recommender.k"));
        Assert.Equal(artifact.Manifest.Version, recommend.GetTagItem("recommender.model_version"));
        Assert.Equal($"{shards}/{shards}", recommend.GetTagItem("recommender.coverage"));

        // Exactly one shard.search per shard, under the recommend span, each reaching its shard's index search.
        var searches = trace.Where(s => s.DisplayName == "shard.search").ToList();
        Assert.Equal(Enumerable.Range(0, shards), searches.Select(s => (int)s.GetTagItem("recommender.shard")!).Order());
        Assert.All(searches, s => Assert.Contains(recommend, Ancestors(s, byId)));
        var indexSearches = trace.Where(s => s.DisplayName == "index.search").ToList();
        Assert.Equal(shards, indexSearches.Count);
        Assert.All(indexSearches, s => Assert.Equal("exact", s.GetTagItem("recommender.index.tier")));
        Assert.All(indexSearches, s => Assert.Single(searches, search => Ancestors(s, byId).Contains(search)));

        // The version lookup, the user's profile and the merge are steps of the recommend span.
        foreach (var step in new[] { "registry.active", "user.profile", "merge" })
            Assert.Contains(recommend, Ancestors(Assert.Single(trace, s => s.DisplayName == step), byId));
        // The served-recall check is its own trace, linked to the recommendation, never inside it.
        Assert.DoesNotContain(trace, s => s.DisplayName == "served_recall.check");
    }

    [Fact]
    public async Task ASampledOutRequestIsTracedNowhereNotEvenInTheSilo()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 4, items: 40, dim: 8, seed: 905));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 2, UserShards = 1 });
        var (kept, dropped) = (artifact.Users[0].Id, artifact.Users[1].Id);

        await AskTraced(kept, share: 1);
        await AskTraced(dropped, share: 0);
        fixture.Tracing.ForceFlush();

        var spans = Snapshot(fixture.Spans);
        Assert.Single(spans, s => s.DisplayName == "recommend" && (string?)s.GetTagItem("recommender.user") == Hashed.Of(kept));
        Assert.DoesNotContain(spans, s => (string?)s.GetTagItem("recommender.user") == Hashed.Of(dropped));
        // Nor did the silo start a trace of its own for it (an Orleans server span as a root). Spans are process-wide:
        // other tests' calls without a client span are roots too, so only the calls to this user's grain count.
        bool Targets(Activity span, string user) =>
            span.DisplayName == "IUserGrain/Recommend" && span.Kind == ActivityKind.Server
            && span.TagObjects.Any(t => t.Key.EndsWith("target_id", StringComparison.Ordinal)
                && t.Value?.ToString() == Hashed.InText(fixture.Client.GetGrain<IUserGrain>(user).GetGrainId().ToString()));
        Assert.Contains(spans, s => Targets(s, kept));
        var rootsInSilo = spans.Where(s => Targets(s, dropped) && s.ParentSpanId == default);
        Assert.Empty(rootsInSilo);

        async Task AskTraced(string user, double share)
        {
            using var activity = RecommendationTracing.StartRecommend(user, 5, share);
            Assert.Equal(share > 0, activity?.Recorded ?? false);
            await fixture.Client.GetGrain<IUserGrain>(user).Recommend(5);
        }
    }

    [Fact]
    public async Task MetricsCarryVersionTierSourceAndCacheResult()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 6, items: 60, dim: 8, seed: 902));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 2, UserShards = 1 });
        var version = artifact.Manifest.Version;
        var user = fixture.Client.GetGrain<IUserGrain>(artifact.Users[0].Id);
        await user.Recommend(5);
        await user.Recommend(5);
        await fixture.Client.GetGrain<IUserGrain>(artifact.Users[1].Id).Rate(artifact.Items[3].Id, 4);

        fixture.Meters.ForceFlush();
        var metrics = Snapshot(fixture.Metrics);
        var recommendations = Points(metrics, "recommender.recommend.duration")
            .Where(p => Tag(p, "version") == version && Tag(p, "source") == "Model").ToList();
        Assert.Equal(2, recommendations.Sum(p => p.GetHistogramCount()));
        Assert.Contains(Points(metrics, "recommender.recommendations"), p => Tag(p, "version") == version && p.GetSumLong() >= 2);
        Assert.Contains(Points(metrics, "recommender.shard.search.duration"), p => Tag(p, "tier") == "exact" && p.GetHistogramCount() >= 4);
        Assert.Contains(Points(metrics, "recommender.index.build.duration"), p => Tag(p, "tier") == "exact");

        // Both of the version's shards report their rows and tier.
        var rows = Points(metrics, "recommender.shard.rows").Where(p => Tag(p, "version") == version).ToList();
        Assert.Equal(60, rows.GroupBy(p => Tag(p, "shard")).Sum(g => g.Last().GetGaugeLastValueLong()));
        Assert.All(rows, p => Assert.Equal("exact", Tag(p, "tier")));
        Assert.Contains(Points(metrics, "recommender.model.active"), p => Tag(p, "version") is { Length: > 0 } && p.GetGaugeLastValueLong() == 1);

        // The first request read the profile (miss), the second found it cached (hit).
        var cache = Points(metrics, "recommender.user.profile_cache").ToList();
        Assert.Contains(cache, p => Tag(p, "result") == "miss" && p.GetSumLong() >= 1);
        Assert.Contains(cache, p => Tag(p, "result") == "hit" && p.GetSumLong() >= 1);
        Assert.Contains(Points(metrics, "recommender.ratings"), p => p.GetSumLong() >= 1);
        Assert.Contains(Points(metrics, "recommender.publish.rows"), p => Tag(p, "version") == version && Tag(p, "stage") == "movies" && p.GetSumLong() == 60);
    }

    [Fact]
    public async Task ServedRecallIsOneOnExactShards()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 20, items: 300, dim: 8, seed: 903));

        var values = await ServedRecallOfEveryUserAsync(fixture.Client, artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });
        Assert.All(values, v => Assert.Equal(1.0, v.Recall));
        Assert.All(values, v => Assert.Equal("exact", v.Tier));
    }

    [Fact]
    public async Task ServedRecallFallsBelowOneWhenTheIndexIsForcedLossy()
    {
        // PQ4 with a rerank no deeper than K: the 4-bit codes alone decide which movies come back.
        using var store = new TempFolder();
        var cluster = await TelemetryClusterFixture.StartAsync(store.Path, initialSilos: 1,
            new IndexOptions { Kind = IndexKind.Pq4, Rerank = 10, PqSubspaces = 4 });
        try
        {
            using var temp = new TempFolder();
            var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 40, items: 4000, dim: 16, seed: 904));

            var values = await ServedRecallOfEveryUserAsync(cluster.Client, artifact, new PublishOptions { CandidateShards = 2, UserShards = 1 });
            Assert.All(values, v => Assert.Equal("pq4", v.Tier));
            Assert.All(values, v => Assert.InRange(v.Recall, 0, 1));
            var mean = values.Average(v => v.Recall);
            Assert.True(mean < 0.95, $"mean served recall {mean:F3} with PQ4 and no rerank depth should be measurably below 1");
            Assert.True(mean > 0.1, $"mean served recall {mean:F3}: the check itself looks broken");
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Publishes the artifact, asks for every user's top 10 and returns the served recall of each (one check per answer).</summary>
    private static async Task<IReadOnlyList<(double Recall, string Tier)>> ServedRecallOfEveryUserAsync(IClusterClient client, ModelArtifact artifact, PublishOptions layout)
    {
        using var probe = new ServedRecallProbe(artifact.Manifest.Version);
        await new ArtifactPublisher(client).PublishAsync(artifact, layout);
        foreach (var user in artifact.Users) await client.GetGrain<IUserGrain>(user.Id).Recommend(10);
        var values = await probe.WaitForAsync(artifact.Users.Count);
        Assert.Equal(artifact.Users.Count, values.Count);
        return values;
    }

    /// <summary>A copy of what the in-memory exporter collected; it appends without a lock while background checks run.</summary>
    private static List<T> Snapshot<T>(List<T> list)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return [.. list.ToArray()];
            }
            catch (ArgumentException) when (attempt < 100)
            {
                Thread.Sleep(5);
            }
        }
    }

    private static IEnumerable<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
            yield return parent;
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<Metric> metrics, string name)
    {
        // The in-memory exporter appends the same live Metric at every collection: each once, at its latest.
        foreach (var metric in metrics.Where(m => m.Name == name).Distinct())
            foreach (var point in metric.GetMetricPoints())
                yield return point;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value?.ToString();
        return null;
    }
}
