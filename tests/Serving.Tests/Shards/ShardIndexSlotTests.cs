using MovieRecommender.Grains;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Shards;
using MovieRecommender.Index;
using static MovieRecommender.Serving.Tests.Shards.ShardTestData;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>
/// A shard's index lifecycle: exact until the build is installed, a build of replaced rows dropped, a failure told.
/// Builds go through a builder the test finishes or fails when it says, as the silo's builder finishes off the turn.
/// </summary>
public sealed class ShardIndexSlotTests
{
    private const string Key = "v1/1";
    // Scores movie r as r: the best two of shard 1 are rows 9 and 8.
    private static readonly ShardSearchRequest Query = new([1, 0], 2, []);
    private readonly HeldIndexBuilder _builder = new();
    private readonly ShardIndexSlot _slot;
    // Shard 1 (rows [5, 10)) of a version that asks for int8.
    private readonly CandidatePartition _partition = Complete(Model(index: "int8"), shard: 1);

    public ShardIndexSlotTests() => _slot = new ShardIndexSlot(_builder, IndexOptions.Default);

    [Fact]
    public async Task TheShardAnswersByExactScanUntilItsIndexIsInstalled()
    {
        var served = new List<(string Tier, int Rows)>();

        var build = _slot.Start(_partition, (tier, rows) => served.Add((tier, rows)));
        Assert.Null(_slot.Installed);
        Assert.True(_slot.Status(Key, _partition).IsBuilding);
        Assert.Equal([("exact", 5)], served);
        Assert.Equal([new ScoredMovie(9, "m9", "Title 9", 9), new ScoredMovie(8, "m8", "Title 8", 8)], _slot.Search(_partition, Query));

        _builder.Finish(0);
        await build;

        Assert.Equal(IndexKind.Int8, _slot.Installed?.Spec.Kind);
        Assert.StartsWith("int8", _slot.Status(Key, _partition).Built);
        Assert.Equal([("exact", 5), ("int8", 5)], served);
        Assert.Equal([9, 8], _slot.Search(_partition, Query).Select(m => m.Row));
        Assert.Equal("int8", _slot.SearchExact(_partition, Query).IndexKind);
    }

    [Fact]
    public async Task ABuildOfRowsSinceReplacedIsDropped()
    {
        var served = new List<string>();
        var stale = _slot.Start(_partition, (tier, _) => served.Add(tier));

        _slot.Drop();
        Assert.False(_slot.Started);
        var current = _slot.Start(_partition, (tier, _) => served.Add(tier));
        _builder.Finish(0);
        await stale;

        Assert.Null(_slot.Installed);
        Assert.Equal(["exact", "exact"], served);
        _builder.Finish(1);
        Assert.Same(await current, _slot.Installed);
        Assert.Equal(["exact", "exact", "int8"], served);
    }

    [Fact]
    public async Task AFailedBuildShowsItsErrorInTheStatus()
    {
        var build = _slot.Start(_partition, (_, _) => { });

        _builder.Fail(0, "no memory left");
        await Assert.ThrowsAsync<InsufficientMemoryException>(() => build);

        var status = _slot.Status(Key, _partition);
        Assert.Equal(new ShardIndexStatus(Key, 5, "int8", null, "no memory left"), status);
        Assert.False(status.IsBuilding);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _slot.WaitAsync(Key, _partition, TimeSpan.FromSeconds(5)));
        Assert.Equal("Candidate shard v1/1 could not build its index 'int8': no memory left", e.Message);
        // The exact scan still answers.
        Assert.Equal([9, 8], _slot.Search(_partition, Query).Select(m => m.Row));
    }

    [Fact]
    public async Task AFailureOfADroppedBuildIsNotShown()
    {
        var build = _slot.Start(_partition, (_, _) => { });

        _slot.Drop();
        _builder.Fail(0, "no memory left");
        await Assert.ThrowsAsync<InsufficientMemoryException>(() => build);

        Assert.Null(_slot.Status(Key, _partition).Error);
    }

    [Fact]
    public async Task WaitingPastThePatienceReturnsWhileTheBuildRuns()
    {
        var build = _slot.Start(_partition, (_, _) => { });

        Assert.False(await _slot.WaitAsync(Key, _partition, TimeSpan.FromMilliseconds(20)));
        Assert.True(_slot.Status(Key, _partition).IsBuilding);

        _builder.Finish(0);
        Assert.True(await _slot.WaitAsync(Key, _partition, TimeSpan.FromSeconds(30)));
        Assert.False(_slot.Status(Key, _partition).IsBuilding);
        Assert.Same(await build, _slot.Installed);
    }

    [Fact]
    public async Task WaitingForAShardNeverSealedIsRefused()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _slot.WaitAsync(Key, _partition, TimeSpan.FromSeconds(1)));
        Assert.Equal("Candidate shard v1/1 holds every row but was not sealed; seal it before waiting for its index.", e.Message);
    }

    [Fact]
    public async Task AnExactVersionIsInstalledAtOnceWithoutTheBuilder()
    {
        var exactVersion = Complete(Model(index: "exact"), shard: 1);
        var served = new List<string>();

        await _slot.Start(exactVersion, (tier, _) => served.Add(tier));

        Assert.Equal(0, _builder.Started);
        Assert.Same(_slot.Exact(exactVersion), _slot.Installed);
        Assert.Equal(["exact"], served);
        Assert.Equal("exact", _slot.Status(Key, exactVersion).Built);
        Assert.True(await _slot.WaitAsync(Key, exactVersion, TimeSpan.Zero));
    }

    [Fact]
    public void AnAutoVersionFollowsTheSilosKindWhenSet()
    {
        Assert.Equal(IndexSpec.Auto, ShardIndexSlot.RequestedSpec("auto", IndexOptions.Default));
        Assert.Equal(new IndexSpec(IndexKind.Int8), ShardIndexSlot.RequestedSpec("auto", new IndexOptions { Kind = IndexKind.Int8 }));
        Assert.Equal(new IndexSpec(IndexKind.Pq4), ShardIndexSlot.RequestedSpec("auto", new IndexOptions { Kind = IndexKind.Pq4 }));
        Assert.Equal(new IndexSpec(IndexKind.IvfPq4), ShardIndexSlot.RequestedSpec("auto", new IndexOptions { Kind = IndexKind.IvfPq4 }));
        // A version that names its index keeps it.
        Assert.Equal(IndexSpec.Parse("exact"), ShardIndexSlot.RequestedSpec("exact", new IndexOptions { Kind = IndexKind.Int8 }));
    }

    [Fact]
    public void ASearchForFewerThanOneMovieIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _slot.Search(_partition, Query with { K = 0 }));
        Assert.Equal("request", e.ParamName);
        Assert.StartsWith("K must be at least 1.", e.Message);
    }

    [Fact]
    public void ASearchSkipsTheExcludedRowsAndTheFilteredMovies()
    {
        var request = Query with { ExcludedRows = [9], Filter = new MovieFilter(Genre: "Comedy") };

        var found = _slot.Search(_partition, request);

        Assert.Equal([7, 5], found.Select(m => m.Row));
        Assert.Equal(found, _slot.SearchExact(_partition, request).Movies);
    }

    /// <summary>Builds the real index for each request, but only when the test finishes it (or fails it).</summary>
    private sealed class HeldIndexBuilder : IShardIndexBuilder
    {
        private readonly List<(TaskCompletionSource<IVectorIndex> Done, float[] Vectors, int Dim, IndexSpec Spec)> _builds = [];

        public int Started => _builds.Count;

        public Task<IVectorIndex> BuildAsync(float[] vectors, int dim, IndexSpec spec, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<IVectorIndex>(TaskCreationOptions.RunContinuationsAsynchronously);
            _builds.Add((done, vectors, dim, spec));
            return done.Task;
        }

        public void Finish(int build)
        {
            var (done, vectors, dim, spec) = _builds[build];
            done.SetResult(VectorIndex.Build(vectors, dim, spec));
        }

        public void Fail(int build, string message) => _builds[build].Done.SetException(new InsufficientMemoryException(message));
    }
}
