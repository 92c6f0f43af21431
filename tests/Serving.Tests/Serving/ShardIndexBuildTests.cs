using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Serving;

/// <summary>
/// A shard's index builds off the grain's turn: while it builds (held here by a gate in front of the real builder)
/// the seal has returned, the publish goes on with the users, the shard answers every search exactly by scanning
/// its rows, and the version is not activated; once built, the version serves from the index.
/// </summary>
public sealed class ShardIndexBuildTests
{
    [Fact]
    public async Task AShardAnswersExactlyWhileItsIndexBuildsAndTheVersionActivatesOnceEveryIndexIsBuilt()
    {
        using var store = new TempFolder();
        var gate = new GatedIndexBuilder(expectedBuilds: 2);
        await using var cluster = await TestClusterFixture.StartAsync(store.Path, silos: 1,
            silo => silo.Services.AddSingleton<IShardIndexBuilder>(gate));
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 20, items: 300, dim: 8, seed: 151));
        var version = artifact.Manifest.Version;

        var usersPushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SynchronousProgress(p => { if (p.Stage == "users" && p.Done == p.Total) usersPushed.TrySetResult(); });
        var publish = new ArtifactPublisher(cluster.Client).PublishAsync(artifact,
            new PublishOptions { CandidateShards = 2, UserShards = 1, Index = IndexSpec.Parse("int8") }, progress);

        // Both shards sealed and asked for their index; the publish went on to the users without waiting for it.
        await gate.AllStarted.WaitAsync(TimeSpan.FromSeconds(30));
        await usersPushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(publish.IsCompleted, "the version must not be activated before its indexes are built");
        Assert.Null(await cluster.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive());

        for (var shard = 0; shard < 2; shard++)
        {
            var grain = cluster.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version, shard));
            Assert.True((await grain.IndexStatus()).IsBuilding);
            Assert.True((await grain.WaitForIndex(TimeSpan.FromMilliseconds(50))).IsBuilding);
            var (start, count) = Partitioning.ShardRows(artifact.Items.Count, 2, shard);
            for (var user = 0; user < artifact.Users.Count; user++)
            {
                var answer = await grain.Search(new ShardSearchRequest(artifact.UserEmbeddings.Row(user).ToArray(), 10, []));
                Assert.Equal(ExactTopK(artifact, user, start, count, 10), answer.Select(m => (m.Row, m.Score)));
            }
        }

        gate.Release();
        await publish.WaitAsync(TimeSpan.FromSeconds(30));
        for (var shard = 0; shard < 2; shard++)
        {
            var status = await cluster.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version, shard)).IndexStatus();
            Assert.False(status.IsBuilding);
            Assert.StartsWith("int8", status.Built);
        }
        var served = await cluster.Client.GetGrain<IUserGrain>(artifact.Users[0].Id).Recommend(10);
        Assert.Equal(version, served.ModelVersion);
        Assert.Equal(10, served.Movies.Length);
    }

    /// <summary>The exact top K of one shard's rows (global rows), in the one top-K order, as float32 sums like the scan's.</summary>
    private static (int Row, float Score)[] ExactTopK(ModelArtifact artifact, int user, int start, int count, int k)
    {
        var query = artifact.UserEmbeddings.Row(user).ToArray();
        var index = VectorIndex.Build(artifact.ItemEmbeddings.Values.AsSpan(start * query.Length, count * query.Length).ToArray(), query.Length, new IndexSpec(IndexKind.Exact));
        return [.. index.Search(query, k).Select(h => (start + h.Id, h.Score))];
    }

    /// <summary>The real builder, entered by each shard, held until <see cref="Release"/>.</summary>
    private sealed class GatedIndexBuilder(int expectedBuilds) : IShardIndexBuilder
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public Task AllStarted => _allStarted.Task;

        public void Release() => _release.TrySetResult();

        public async Task<IVectorIndex> BuildAsync(float[] vectors, int dim, IndexSpec spec, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _started) == expectedBuilds) _allStarted.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            return await Task.Run(() => VectorIndex.Build(vectors, dim, spec), cancellationToken);
        }
    }

    private sealed class SynchronousProgress(Action<PublishProgress> report) : IProgress<PublishProgress>
    {
        public void Report(PublishProgress value) => report(value);
    }
}
