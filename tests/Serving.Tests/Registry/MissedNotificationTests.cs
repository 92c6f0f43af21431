using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>
/// A notification lost on its way to a silo (the registry believes it told it) is healed by the silo's periodic
/// refresh: two silos that reread the registry every quarter second.
/// </summary>
public sealed class MissedNotificationTests : IAsyncLifetime
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMilliseconds(250);
    private readonly TempFolder _store = new();
    private readonly RegistryProbe _probe = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RegistryClusterFixture.StartAsync(_store.Path, silos: 2, _probe, RefreshPeriod);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task ASiloThatMissedTheNotificationServesTheNewVersionAfterItsRefresh()
    {
        using var temp = new TempFolder();
        var v1 = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 20, items: 80, dim: 8, seed: 1701));
        var v2 = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 20, items: 80, dim: 8, seed: 1702));
        var publisher = new ArtifactPublisher(_cluster.Client);
        var options = new PublishOptions { CandidateShards = 2, UserShards = 1 };
        await publisher.PublishAsync(v1, options);

        var views = RegistryClusterFixture.ViewsOf(_cluster);
        var (told, deaf) = (views[0], views[1]);
        _probe.MakeDeaf(deaf.Silo);
        await publisher.PublishAsync(v2, options);

        Assert.Equal(1, _probe.Lost);
        Assert.Equal(v2.Manifest.Version, told.View.Active?.Info.Version);
        // Nothing tells the deaf silo: only its refresh can bring it to v2 (40 periods allowed, for a busy machine).
        var deadline = DateTime.UtcNow + 40 * RefreshPeriod;
        while (deaf.View.Active?.Info.Version != v2.Manifest.Version && DateTime.UtcNow < deadline)
            await Task.Delay(RefreshPeriod / 5);
        Assert.Equal(v2.Manifest.Version, deaf.View.Active?.Info.Version);
        Assert.Equal(told.View.Generation, deaf.View.Generation);
    }
}
