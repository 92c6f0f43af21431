using System.Collections.Concurrent;
using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>
/// The registry off the hot path: every silo's view changes before an activation or a rollback returns, no
/// recommendation calls the registry, a silo that joins knows the active version, a hung silo holds a publish up
/// for a bounded time only, and a stale view that meets a retired version rereads the registry.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ActiveModelNotificationTests(RegistryClusterFixture fixture)
{
    private const int K = 10;
    private static readonly PublishOptions Options = new() { CandidateShards = 3, UserShards = 2 };

    private IModelRegistryGrain Registry => fixture.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);

    [Fact]
    public async Task EverySiloViewChangesBeforeActivateAndRollbackReturn()
    {
        using var temp = new TempFolder();
        var (v1, v2) = (Artifact(temp, 1101), Artifact(temp, 1102));
        var publisher = new ArtifactPublisher(fixture.Client);

        await publisher.PublishAsync(v1, Options);
        AssertEverySiloViews(v1);
        await publisher.PublishAsync(v2, Options);
        AssertEverySiloViews(v2);
        await AssertServedAsync(v2, users: 30);

        Assert.Equal(v1.Manifest.Version, (await Registry.Rollback()).Info.Version);
        AssertEverySiloViews(v1);
        await AssertServedAsync(v1, users: 30);
    }

    [Fact]
    public async Task RecommendationsDoNotCallTheRegistry()
    {
        using var temp = new TempFolder();
        var artifact = Artifact(temp, 1201);
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, Options);

        var before = fixture.Probe.Reads;
        var served = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            fixture.Client.GetGrain<IUserGrain>(artifact.Users[i % artifact.Users.Count].Id).Recommend(K)));
        var reads = fixture.Probe.Reads - before;

        Assert.All(served, r => Assert.Equal(artifact.Manifest.Version, r.ModelVersion));
        // Once per request would be 200; the silos' views answer instead.
        Assert.InRange(reads, 0, 3);
    }

    [Fact]
    public async Task ASiloThatJoinsAfterTheActivationKnowsTheActiveVersion()
    {
        using var temp = new TempFolder();
        var artifact = Artifact(temp, 1301);
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, Options);

        var joined = await fixture.Cluster.StartAdditionalSiloAsync();
        try
        {
            var view = Assert.Single(fixture.Views(), v => v.Silo.Equals(joined.SiloAddress)).View;
            // Told by no one (nothing was published since it joined): read at start-up.
            Assert.Equal(artifact.Manifest.Version, view.Active?.Info.Version);
        }
        finally
        {
            await fixture.Cluster.StopSiloAsync(joined);
        }
    }

    [Fact]
    public async Task ASiloThatDoesNotAnswerHoldsAPublishUpForABoundedTimeOnly()
    {
        using var temp = new TempFolder();
        var (v1, v2) = (Artifact(temp, 1401), Artifact(temp, 1402));
        var publisher = new ArtifactPublisher(fixture.Client);
        await publisher.PublishAsync(v1, Options);

        var hung = fixture.Views()[^1].Silo;
        var gate = fixture.Probe.Hold(hung);
        try
        {
            // Unbounded, the activation would wait for the gate, which opens only after this assertion.
            await publisher.PublishAsync(v2, Options).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(fixture.Views().Where(v => !v.Silo.Equals(hung)), v => Assert.Equal(v2.Manifest.Version, v.View.Active?.Info.Version));
        }
        finally
        {
            fixture.Probe.Release();
            gate.SetResult();
        }
    }

    [Fact]
    public async Task AStaleViewThatMeetsARetiredVersionRereadsTheRegistryAndServesTheActiveVersion()
    {
        using var temp = new TempFolder();
        var (v1, v2, v3) = (Artifact(temp, 1501), Artifact(temp, 1502), Artifact(temp, 1503));
        var publisher = new ArtifactPublisher(fixture.Client);
        await publisher.PublishAsync(v1, Options);
        var spans = new ConcurrentBag<Activity>();
        using var listener = Listen(spans);

        var lostBefore = fixture.Probe.Lost;
        fixture.Probe.MakeDeaf([.. fixture.Views().Select(v => v.Silo)]);
        try
        {
            // v2 active, v1 previous; then v3 active, v2 previous, v1 retired: every view still names v1.
            await publisher.PublishAsync(v2, Options);
            await publisher.PublishAsync(v3, Options);
            Assert.True(fixture.Probe.Lost > lostBefore);
            AssertEverySiloViews(v1);
            Assert.Equal(VersionStatus.Retired, (await Registry.ListVersions()).Single(v => v.Info.Version == v1.Manifest.Version).Status);

            // A rating looks its movie up in the version's shards: it meets the retired version too, and is recorded.
            await fixture.Client.GetGrain<IUserGrain>(v3.Users[^1].Id).Rate(v3.Items[0].Id, 4);
            await AssertServedAsync(v3, users: 20);
        }
        finally
        {
            fixture.Probe.MakeDeaf();
        }
        // The retry read the registry, and says so.
        Assert.Contains(spans, s => s.DisplayName == "registry.active"
            && (string?)s.GetTagItem("recommender.registry.source") == "registry"
            && (string?)s.GetTagItem("recommender.model_version") == v3.Manifest.Version);
    }

    private void AssertEverySiloViews(ModelArtifact artifact)
    {
        var views = fixture.Views();
        Assert.Equal(3, views.Count);
        Assert.All(views, v => Assert.Equal(artifact.Manifest.Version, v.View.Active?.Info.Version));
    }

    /// <summary>The first <paramref name="users"/> users (on every silo, by their hash) get the version's exact top K.</summary>
    private async Task AssertServedAsync(ModelArtifact artifact, int users)
    {
        for (var row = 0; row < users; row++)
            await ServedAnswers.AssertServedExactlyAsync(fixture.Client, artifact, row, K);
    }

    // The same users in every version of a test (one id base per test), so each is known to each version.
    private static ModelArtifact Artifact(TempFolder temp, int seed) =>
        ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 40, items: 120, dim: 8, seed: seed, userIdBase: seed / 100 * 1_000_000));

    private static ActivityListener Listen(ConcurrentBag<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RecommenderTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
