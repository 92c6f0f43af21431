using MovieRecommender.Grains;
using MovieRecommender.Serving.Tests.Cluster;
using MovieRecommender.Serving.Tests.Hosting;

namespace MovieRecommender.Serving.Tests.Users;

/// <summary>
/// A user partition stored before issue 26, as a dictionary of profiles, still serves after an upgrade: the shard turns
/// it into flat rows when it activates and stores the flat form at its next write.
/// </summary>
public sealed class LegacyUserPartitionTests : IDisposable
{
    private readonly TempFolder _store = new();

    [Fact]
    public async Task AStoredDictionaryOfProfilesServesEveryUserAndIsStoredFlatAtTheNextWrite()
    {
        var key = IUserShardGrain.Key("20250101-000000-abcd", 0);
        var grain = GrainId.Create("usershard", key);
        var model = new ModelVersionInfo("20250101-000000-abcd", 2, ItemCount: 10, UserCount: 3, CandidateShards: 1, UserShards: 1, DateTimeOffset.UnixEpoch);
        var profiles = new Dictionary<string, UserProfile>
        {
            ["7"] = new([0.7f, -1f], [1, 4]),
            ["42"] = new([4.2f, 0.5f], []),
            ["Zoë"] = new([-3f, 3f], [9]),
        };
        using (var store = new ModelFileStore(_store.Path))
        {
            var legacy = new GrainState<UserPartitionState>(new UserPartitionState { Model = model, Profiles = profiles, Sealed = true });
            await store.Storage.WriteStateAsync("users", grain, legacy);
        }

        await using var cluster = await TestClusterFixture.StartAsync(_store.Path, silos: 1);
        var shard = cluster.Client.GetGrain<IUserShardGrain>(key);
        foreach (var (id, profile) in profiles)
        {
            var served = await shard.Get(id);
            Assert.NotNull(served);
            Assert.Equal(profile.Embedding, served.Embedding);
            Assert.Equal(profile.SeenRows, served.SeenRows);
        }
        Assert.Null(await shard.Get("8"));
        var exported = await shard.ExportUsers(0, 10);
        Assert.Equal(["42", "7", "Zoë"], exported.UserIds);

        // An erasure writes the partition: flat, and the dictionary gone.
        Assert.True(await shard.Erase("7"));
        using (var store = new ModelFileStore(_store.Path))
        {
            var stored = new GrainState<UserPartitionState>();
            await store.Storage.ReadStateAsync("users", grain, stored);
            Assert.Null(stored.State!.Profiles);
            Assert.Equal(2, stored.State.Rows!.Count);
            Assert.True(stored.State.Sealed);
        }
    }

    public void Dispose() => _store.Dispose();
}
