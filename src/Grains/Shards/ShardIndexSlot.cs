using System.Diagnostics;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// Where a shard's index goes once built, and what the shard searches until then: the exact scan of its float32 rows
/// (free to build: the same answer, only slower). A build runs through <see cref="IShardIndexBuilder"/> off the
/// caller's turn; every write drops the index and bumps a generation, so that a build of rows since replaced is
/// dropped when it completes rather than installed over the new rows. Not thread-safe: one grain's turns use it.
/// </summary>
public sealed class ShardIndexSlot(IShardIndexBuilder builder, IndexOptions options)
{
    private static readonly IndexSpec ExactSpec = new(IndexKind.Exact);
    // The exact scan over the rows: the answer while _index builds, and the served-recall reference.
    private IVectorIndex? _exact;
    private IVectorIndex? _index;
    private Task<IVectorIndex>? _build;
    private string? _buildError;
    // Bumped by every drop (a write or a retirement); a build installs only if it has not moved since it started.
    private int _generation;

    /// <summary>The built index, once installed (an exact one at once); null while building, after a failure or a drop.</summary>
    public IVectorIndex? Installed => _index;

    /// <summary>A build was started since the last drop (the shard was sealed, or reloaded from the store).</summary>
    public bool Started => _build is not null;

    /// <summary>What the shard named <paramref name="key"/> serves with (no partition: nothing, 0 rows).</summary>
    public ShardIndexStatus Status(string key, CandidatePartition? partition) =>
        new(key, partition?.Count ?? 0, partition?.Model.Index ?? "", _index?.Spec.ToString(), _buildError);

    /// <summary>The exact scan over the partition's rows, built on first use.</summary>
    public IVectorIndex Exact(CandidatePartition partition) =>
        _exact ??= VectorIndex.Build(partition.Vectors, partition.Model.Dimension, ExactSpec, options);

    /// <summary>The complete partition's K best movies from the index it serves with, skipping its exclusions; traced and timed.</summary>
    public ScoredMovie[] Search(CandidatePartition partition, ShardSearchRequest request, int[]? hidden = null)
    {
        var exact = Exact(partition);
        if (request.K < 1) throw new ArgumentOutOfRangeException(nameof(request), "K must be at least 1.");
        var started = Stopwatch.GetTimestamp();
        var index = _index ?? exact;
        // Telemetry calls the kind "tier" (span tag and metric label), as dashboards and reports already read it.
        var kind = index.Spec.Kind.Name();
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.search");
        activity?.SetTag("recommender.index.tier", kind);
        activity?.SetTag("recommender.shard.rows", index.Count);
        if (_index is null) activity?.SetTag("recommender.index.building", true);
        var parameters = request.Tuning is { } tuning ? new SearchParameters(tuning.Rerank, tuning.Probe) : default;
        SearchHit[] hits;
        if (request.Filter is { IsEmpty: false } filter && partition.Exclusions.KeptIfSelective(filter) is { } kept)
        {
            // Few rows pass: score just those, exactly. Probing lists would find too few of them (recall collapses).
            activity?.SetTag("recommender.filter.exact_rows", kept.Length);
            var skipped = partition.LocalRows(request.ExcludedRows);
            var among = SortedRows.Except(SortedRows.Except(kept, skipped), hidden ?? []);
            hits = VectorIndex.ExactAmong(partition.Vectors, partition.Model.Dimension, request.Query, among, request.K, options.Simd);
        }
        else
        {
            hits = index.Search(request.Query, request.K, Skipped(partition, request, hidden), WithFilterProbe(index, partition, request, parameters));
        }
        var result = partition.Scored(hits);
        RecommenderTelemetry.ShardSearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("tier", kind));
        return result;
    }

    /// <summary>
    /// A filter that keeps a share s of the rows leaves an IVF probe about s of the candidates it would find: the
    /// default probe is divided by s (at most every list), unless the request set its own.
    /// </summary>
    private static SearchParameters WithFilterProbe(IVectorIndex index, CandidatePartition partition, ShardSearchRequest request, SearchParameters parameters)
    {
        if (request.Filter is not { IsEmpty: false } filter || parameters.Probe is not null || index.Spec is not { Probe: { } probe, Lists: { } lists })
            return parameters;
        var share = Math.Max(partition.Exclusions.KeptShare(filter), 1e-6);
        return parameters with { Probe = (int)Math.Min(lists, Math.Ceiling(probe / share)) };
    }

    /// <summary>The same search by exact scan whatever the index (same K, exclusion and tie rules), and the kind of index served with.</summary>
    public ExactShardAnswer SearchExact(CandidatePartition partition, ShardSearchRequest request, int[]? hidden = null)
    {
        var exact = Exact(partition);
        return new ExactShardAnswer(partition.Scored(exact.Search(request.Query, request.K, Skipped(partition, request, hidden))), (_index ?? exact).Spec.Kind.Name());
    }

    /// <summary>The index ids to skip: the request's exclusions and filter, and the rows the live catalogue hides (ascending).</summary>
    private static int[] Skipped(CandidatePartition partition, ShardSearchRequest request, int[]? hidden)
    {
        var skipped = partition.Exclusions.Of(request);
        return hidden is not { Length: > 0 } ? skipped : SortedRows.Union(skipped, hidden);
    }

    /// <summary>
    /// Starts building the index the partition's version names (<see cref="RequestedSpec"/>) for the complete
    /// partition; searches use the exact scan until it is installed. An exact index is installed at once.
    /// <paramref name="serving"/> is told the kind of index and the rows served with: now, and again when the build is installed.
    /// Returns the build (kept here too, for <see cref="WaitAsync"/>).
    /// </summary>
    public Task<IVectorIndex> Start(CandidatePartition partition, Action<string, int> serving)
    {
        var exact = Exact(partition);
        var spec = RequestedSpec(partition.Model.Index, options).Resolve(exact.Count, partition.Model.Dimension);
        if (spec.Kind == IndexKind.Exact)
        {
            RecommenderTelemetry.IndexBuildDuration.Record(exact.BuildTime.TotalMilliseconds, new KeyValuePair<string, object?>("tier", exact.Spec.Kind.Name()));
            _index = exact;
            _build = Task.FromResult(exact);
            serving(exact.Spec.Kind.Name(), exact.Count);
            return _build;
        }
        serving(ExactSpec.Kind.Name(), exact.Count);
        return _build = BuildAsync(partition, spec, _generation, serving);
    }

    /// <summary>
    /// Builds through the builder and installs the result unless the rows changed meanwhile. No ConfigureAwait(false):
    /// the continuation runs where <see cref="Start"/> was called, which for the grain is its own scheduler, so the
    /// install (and every read of these fields) stays on the grain's turns. Only the builder's work leaves them.
    /// </summary>
    private async Task<IVectorIndex> BuildAsync(CandidatePartition partition, IndexSpec spec, int generation, Action<string, int> serving)
    {
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.build");
        activity?.SetTag("recommender.index.requested", spec.ToString());
        activity?.SetTag("recommender.shard.rows", partition.Count);
        try
        {
            var index = await builder.BuildAsync(partition.Vectors, partition.Model.Dimension, spec, CancellationToken.None);
            activity?.SetTag("recommender.index.tier", index.Spec.Kind.Name());
            activity?.SetTag("recommender.index.spec", index.Spec.ToString());
            RecommenderTelemetry.IndexBuildDuration.Record(index.BuildTime.TotalMilliseconds, new KeyValuePair<string, object?>("tier", index.Spec.Kind.Name()));
            // Back on the caller's turn: install it unless the rows changed meanwhile.
            if (generation == _generation)
            {
                _index = index;
                serving(index.Spec.Kind.Name(), index.Count);
            }
            return index;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (generation == _generation) _buildError = e.Message;
            throw;
        }
    }

    /// <summary>Forgets the indexes and any build (the rows were written or retired); a running build will not be installed.</summary>
    public void Drop()
    {
        _generation++;
        _index = null;
        _exact = null;
        _build = null;
        _buildError = null;
    }

    /// <summary>
    /// Waits up to <paramref name="patience"/> for the build of the complete <paramref name="partition"/> of the shard
    /// named <paramref name="key"/>: true once it is done, false while it still runs. Throws when no build was started
    /// (the shard was not sealed), and when the build failed, saying so.
    /// </summary>
    public async Task<bool> WaitAsync(string key, CandidatePartition partition, TimeSpan patience)
    {
        var build = _build ?? throw new InvalidOperationException($"Candidate shard {key} holds every row but was not sealed; seal it before waiting for its index.");
        try
        {
            await build.WaitAsync(patience);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Candidate shard {key} could not build its index '{partition.Model.Index}': {e.Message}", e);
        }
    }

    /// <summary>The index a version names; a version published as <c>auto</c> follows the silo's <c>Index:Kind</c> when that is set.</summary>
    public static IndexSpec RequestedSpec(string published, IndexOptions options)
    {
        var spec = IndexSpec.Parse(published);
        return spec.Kind == IndexKind.Auto && options.Kind != IndexKind.Auto
            ? new IndexSpec(options.Kind)
            : spec;
    }
}
