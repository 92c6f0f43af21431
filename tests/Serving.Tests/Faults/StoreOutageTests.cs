using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;
using Orleans.Storage;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MovieRecommender.Serving.Tests.Faults;

/// <summary>
/// The model storage made to fail as Redis does when it is down (every call, or the writes of one state), under a
/// one-silo cluster: activated grains keep answering, a publish fails with one clear line and leaves the active
/// version serving, a rating that could not be stored is refused and not folded in, and once the store is back a
/// publish succeeds and the ratings stored before are all there.
/// </summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;
    private readonly TempFolder _store = new();
    private readonly TempFolder _artifacts = new();
    private IClusterClient Client => _cluster.Client;

    public async Task InitializeAsync() =>
        // The same file storage, behind a switch: the last keyed registration is the one grains get.
        _cluster = await TestClusterFixture.StartAsync(_store.Path, silos: 1, silo =>
        {
            foreach (var provider in new[] { ModelStorage.ProviderName, ModelStorage.UserLogProviderName })
                silo.Services.AddKeyedSingleton<IGrainStorage>(provider, (sp, _) =>
                    new OutageStorage(new FileGrainStorage(sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(provider))));
        });

    public async Task DisposeAsync()
    {
        OutageStorage.Up();
        await _cluster.DisposeAsync();
        _store.Dispose();
        _artifacts.Dispose();
    }

    private async Task<ModelArtifact> PublishAsync(int seed)
    {
        var artifact = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(_artifacts.Path, $"s{seed}"), users: 30, items: 210, dim: 6, seed: seed));
        await new ArtifactPublisher(Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });
        return artifact;
    }

    private async Task<string?> ActiveAsync() =>
        (await Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive())?.Info.Version;

    [Fact]
    public async Task WithTheStoreDownActiveGrainsAnswerAPublishFailsInOneLineAndNothingStoredIsLost()
    {
        var a = await PublishAsync(701);
        var users = a.Users.Select(u => Client.GetGrain<IUserGrain>(u.Id)).ToArray();
        var rater = users[3];
        var before = await rater.Recommend(10);
        await rater.Rate(before.Movies[0].Id, 5);
        foreach (var user in users) await user.Recommend(10);
        var artifactB = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(_artifacts.Path, "b"), users: 30, items: 210, dim: 6, seed: 702));

        OutageStorage.Down();
        try
        {
            foreach (var user in users)
            {
                var answer = await user.Recommend(10);
                Assert.Equal(a.Manifest.Version, answer.ModelVersion);
                Assert.Equal(answer.ShardCount, answer.ShardsAnswered);
            }

            var e = await Assert.ThrowsAsync<PublishStoreException>(() =>
                new ArtifactPublisher(Client).PublishAsync(artifactB, new PublishOptions { CandidateShards = 3, UserShards = 2 }));
            Assert.StartsWith($"Publishing version {artifactB.Manifest.Version} failed: the cluster's store did not answer (RedisConnectionException: No connection is active/available", e.Message);
            Assert.EndsWith($"Version {a.Manifest.Version} still serves; publish again once the store is back.", e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.DoesNotContain("UnableToConnect", e.Message);
            Assert.Equal(a.Manifest.Version, await ActiveAsync());

            // A rating that cannot be stored is refused, and so not folded into the answers.
            var notStored = before.Movies[1].Id;
            var rateError = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => rater.Rate(notStored, 4));
            Assert.Contains($"The rating of movie '{notStored}' was not recorded: the store failed", rateError.Message);
            Assert.DoesNotContain(a.Users[3].Id, rateError.Message);
            Assert.Contains(notStored, (await rater.Recommend(10)).Movies.Select(m => m.Id));
        }
        finally
        {
            OutageStorage.Up();
        }

        await new ArtifactPublisher(Client).PublishAsync(artifactB, new PublishOptions { CandidateShards = 3, UserShards = 2 });
        Assert.Equal(artifactB.Manifest.Version, await ActiveAsync());
        var log = await RatingLog.AllAsync(Client);
        Assert.Single(log);
        Assert.Equal((a.Users[3].Id, before.Movies[0].Id, 5.0), (log[0].UserId, log[0].MovieId, log[0].Value));
    }

    [Fact]
    public async Task WhenOnlyTheRegistrysWriteFailsThePublishFailsAndTheOldVersionStillServes()
    {
        var a = await PublishAsync(711);
        var user = Client.GetGrain<IUserGrain>(a.Users[0].Id);
        Assert.Equal(a.Manifest.Version, (await user.Recommend(10)).ModelVersion);
        var artifactB = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(_artifacts.Path, "b2"), users: 30, items: 210, dim: 6, seed: 712));

        OutageStorage.Down(writesOf: "registry");
        try
        {
            var e = await Assert.ThrowsAsync<PublishStoreException>(() =>
                new ArtifactPublisher(Client).PublishAsync(artifactB, new PublishOptions { CandidateShards = 3, UserShards = 2 }));
            Assert.Contains($"Version {a.Manifest.Version} still serves", e.Message);
            // The registry put its state back: the version that served still does, in memory as in the store.
            Assert.Equal(a.Manifest.Version, await ActiveAsync());
            Assert.Equal(a.Manifest.Version, (await user.Recommend(10)).ModelVersion);
        }
        finally
        {
            OutageStorage.Up();
        }
        await new ArtifactPublisher(Client).PublishAsync(artifactB, new PublishOptions { CandidateShards = 3, UserShards = 2 });
        Assert.Equal(artifactB.Manifest.Version, (await user.Recommend(10)).ModelVersion);
    }

    [Theory]
    [InlineData("RedisStorageException", "Failed to write grain state for CandidateShardGrain grain with ID candidate/v-0 and storage key k. RedisConnectionException: No connection is active/available to service this operation: EVALSHA abc; UnableToConnect on 127.0.0.1:6392/Interactive, Initializing/NotStarted, last: NONE",
        "RedisConnectionException: No connection is active/available to service this operation: EVALSHA abc")]
    [InlineData("RedisTimeoutException", "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5015ms elapsed, timeout is 5000ms), command=HGETALL, next: HGETALL x, inst: 0, qu: 0",
        "RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5015ms elapsed, timeout is 5000ms), command=HGETALL")]
    public void AStoreErrorIsCutToItsFirstClause(string type, string message, string expected) =>
        Assert.Equal(expected, ArtifactPublisher.Clause(type, message));

    /// <summary>The file storage, or, while down, the Redis storage's "no connection" error for every call (or one state's writes).</summary>
    private sealed class OutageStorage(IGrainStorage inner) : IGrainStorage
    {
        private static volatile bool _down;
        private static volatile string? _writesOf;

        public static void Down(string? writesOf = null) { _writesOf = writesOf; _down = true; }

        public static void Up() { _down = false; _writesOf = null; }

        private static void Check(string stateName, bool write)
        {
            if (!_down || (_writesOf is { } only && (!write || only != stateName))) return;
            // As Orleans' Redis storage reports it: its own message ends with Redis' exception, type and message
            // (Redis' exception itself has no Orleans codec, so it is not carried along).
            var redis = new RedisConnectionException(ConnectionFailureType.UnableToConnect,
                $"No connection is active/available to service this operation: EVALSHA {stateName}; UnableToConnect on 127.0.0.1:6392/Interactive, Initializing/NotStarted, last: NONE, origin: BeginConnectAsync");
            throw new OrleansException($"Failed to {(write ? "write" : "read")} grain state for {stateName} grain and storage key {stateName}. {redis.GetType()}: {redis.Message}");
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) { Check(stateName, false); return inner.ReadStateAsync(stateName, grainId, grainState); }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) { Check(stateName, true); return inner.WriteStateAsync(stateName, grainId, grainState); }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) { Check(stateName, true); return inner.ClearStateAsync(stateName, grainId, grainState); }
    }
}
