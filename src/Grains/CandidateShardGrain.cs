using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's movie embeddings in memory and answers top-K searches over it. Pushed in
/// chunks, then sealed: the seal writes the partition to the model storage (from which a restarted or moved
/// activation reloads it) and starts building the index the version names (<see cref="ModelVersionInfo.Index"/>,
/// <c>auto</c>: by the shard's size) off the grain's turn, through <see cref="IShardIndexBuilder"/>. Until it is
/// built the shard answers by exact scan of its float32 rows: the same answer, only slower. Every index returns
/// exact float32 scores. Kept alive while loaded: rebuilding the index costs time.
/// </summary>
[KeepAlive, ShardSpreadPlacement]
public sealed class CandidateShardGrain(
    IOptions<IndexOptions> indexOptions,
    IShardIndexBuilder indexBuilder,
    IOptions<ShardRebalanceOptions> rebalance,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    [PersistentState("candidates", ModelStorage.ProviderName)] IPersistentState<CandidatePartitionState> state) : Grain, ICandidateShardGrain
{
    private static readonly IndexSpec ExactSpec = new(IndexTier.Exact);
    private readonly IndexOptions _indexOptions = indexOptions.Value;
    // The exact scan over the rows (free to build): the answer while _index builds, and the served-recall reference.
    private IVectorIndex? _exact;
    private IVectorIndex? _index;
    private Task<IVectorIndex>? _build;
    private string? _buildError;
    // Bumped by every write and retirement, so that a build of rows since replaced is dropped when it completes.
    private int _generation;
    private ModelVersionInfo? _model;
    private int _shard;
    private int _firstRow;
    private float[] _vectors = [];
    private string[] _ids = [];
    private string[] _titles = [];
    private string[][] _genres = [];
    private int[] _years = [];
    private Dictionary<string, int>? _localOfId;
    private const int MaxCachedFilters = 64;
    private readonly Dictionary<MovieFilter, int[]> _rejectedByFilter = [];
    private bool[] _loaded = [];
    private int _loadedCount;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A sealed partition in storage: this activation follows a restart, a crash or a move.
        if (state.RecordExists && state.State.Model is { } model)
        {
            var stored = state.State;
            _model = model;
            _shard = ShardOf(model);
            _firstRow = stored.FirstRow;
            _vectors = stored.Vectors;
            _ids = stored.Ids;
            _titles = stored.Titles;
            _genres = stored.Genres;
            _years = stored.Years;
            _loaded = Enumerable.Repeat(true, _ids.Length).ToArray();
            _loadedCount = _ids.Length;
            StartIndexBuild(model);
        }
        if (rebalance.Value is { Enabled: true, Interval: var interval })
        {
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next((int)interval.TotalMilliseconds));
            this.RegisterGrainTimer(_ => MoveIfMisplaced(), new GrainTimerCreationOptions(interval + jitter, interval) { Interleave = true });
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Cluster mode: when the active silos changed (one joined) so that this shard belongs on another silo, it
    /// migrates there once idle. Only a sealed shard moves: its partition is in the store, so nothing is lost.
    /// </summary>
    private Task MoveIfMisplaced()
    {
        if (_model is null || _loadedCount < _ids.Length || !state.RecordExists) return Task.CompletedTask;
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
        if (active.Length > 1 && !ShardSpreadPlacementDirector.PreferredSilo(this.GetPrimaryKeyString(), active).Equals(localSilo.SiloAddress))
            this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public Task Load(CandidateChunk chunk)
    {
        EnsureLayout(chunk.Model);
        var dim = chunk.Model.Dimension;
        var count = chunk.Ids.Length;
        if (chunk.Titles.Length != count || chunk.Genres.Length != count || chunk.Years.Length != count || chunk.Vectors.Length != count * dim * sizeof(float))
            throw new ArgumentException($"Chunk at row {chunk.FirstRow}: {count} ids, {chunk.Titles.Length} titles, {chunk.Genres.Length} genre lists, {chunk.Years.Length} years and {chunk.Vectors.Length} vector bytes do not match dimension {dim}.");
        var local = chunk.FirstRow - _firstRow;
        if (local < 0 || local + count > _ids.Length)
            throw new ArgumentOutOfRangeException(nameof(chunk), $"Rows [{chunk.FirstRow}, {chunk.FirstRow + count}) fall outside shard {_shard}'s rows [{_firstRow}, {_firstRow + _ids.Length}).");

        // Refuse NaN and infinity before they reach the shard: the index would refuse to build on them later.
        var vectors = MemoryMarshal.Cast<byte, float>(chunk.Vectors);
        VectorGuard.CheckRows(vectors, dim, nameof(chunk));
        // Any write invalidates the index; it is rebuilt once every row is present and sealed.
        DropIndex();
        vectors.CopyTo(_vectors.AsSpan(local * dim, count * dim));
        for (var i = 0; i < count; i++)
        {
            _ids[local + i] = chunk.Ids[i];
            _titles[local + i] = chunk.Titles[i];
            _genres[local + i] = chunk.Genres[i];
            _years[local + i] = chunk.Years[i];
            if (!_loaded[local + i])
            {
                _loaded[local + i] = true;
                _loadedCount++;
            }
        }
        return Task.CompletedTask;
    }

    public async Task Seal()
    {
        var model = _model ?? throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} received no rows to seal.");
        if (_loadedCount < _ids.Length)
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} holds {_loadedCount} of {_ids.Length} rows; push the rest before sealing.");
        if (_build is null) StartIndexBuild(model);
        if (state.RecordExists && state.State.Model is { } stored && stored.HasSameLayout(model)) return;
        state.State = new CandidatePartitionState { Model = model, FirstRow = _firstRow, Ids = _ids, Titles = _titles, Genres = _genres, Years = _years, Vectors = _vectors };
        await state.WriteStateAsync();
    }

    public Task<ScoredMovie[]> Search(ShardSearchRequest request)
    {
        var exact = Loaded();
        if (request.K < 1) throw new ArgumentOutOfRangeException(nameof(request), "K must be at least 1.");

        var started = Stopwatch.GetTimestamp();
        var index = _index ?? exact;
        var tier = index.Spec.Kind;
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.search");
        activity?.SetTag("recommender.index.tier", tier);
        activity?.SetTag("recommender.shard.rows", index.Count);
        if (_index is null) activity?.SetTag("recommender.index.building", true);
        var parameters = request.Tuning is { } tuning ? new SearchParameters(tuning.Rerank, tuning.Probe) : default;
        var result = Scored(index.Search(request.Query, request.K, Excluded(request), parameters));
        RecommenderTelemetry.ShardSearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("tier", tier));
        return Task.FromResult(result);
    }

    public Task<ExactShardAnswer> SearchExact(ShardSearchRequest request)
    {
        // The exact scan over the same rows: the same K, exclusion and tie rules as the served search.
        var exact = Loaded();
        return Task.FromResult(new ExactShardAnswer(Scored(exact.Search(request.Query, request.K, Excluded(request))), (_index ?? exact).Spec.Kind));
    }

    public async Task<ShardIndexStatus> WaitForIndex(TimeSpan patience)
    {
        Loaded();
        var build = _build ?? throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} holds every row but was not sealed; seal it before waiting for its index.");
        try
        {
            await build.WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            return Status();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} could not build its index '{_model!.Index}': {e.Message}", e);
        }
        return Status();
    }

    public Task<ShardIndexStatus> IndexStatus() => Task.FromResult(Status());

    private ShardIndexStatus Status() =>
        new(this.GetPrimaryKeyString(), _model is null ? 0 : _ids.Length, _model?.Index ?? "", _index?.Spec.ToString(), _buildError);

    /// <summary>The exact scan over every row, once every row is present; else why the shard cannot answer.</summary>
    private IVectorIndex Loaded()
    {
        if (_model is not { } model) throw NotLoaded();
        if (_loadedCount < _ids.Length)
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} is not loaded ({_loadedCount} of {_ids.Length} rows); publish the model again.");
        return _exact ??= VectorIndex.Build(_vectors, model.Dimension, ExactSpec, _indexOptions);
    }

    private ScoredMovie[] Scored(SearchHit[] top)
    {
        var result = new ScoredMovie[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            var local = top[i].Id;
            result[i] = new ScoredMovie(_firstRow + local, _ids[local], _titles[local], top[i].Score);
        }
        return result;
    }

    /// <summary>
    /// Starts building the index the version names, off the grain's turn; searches use the exact scan until it is
    /// in place. An exact index is in place at once.
    /// </summary>
    private void StartIndexBuild(ModelVersionInfo model)
    {
        var exact = Loaded();
        var spec = RequestedSpec(model).Resolve(exact.Count, model.Dimension);
        var key = this.GetPrimaryKeyString();
        if (spec.Tier == IndexTier.Exact)
        {
            RecommenderTelemetry.IndexBuildDuration.Record(exact.BuildTime.TotalMilliseconds, new KeyValuePair<string, object?>("tier", exact.Spec.Kind));
            _index = exact;
            _build = Task.FromResult(exact);
            ServingState.ShardLoaded(key, model.Version, _shard, exact.Spec.Kind, exact.Count);
            return;
        }
        ServingState.ShardLoaded(key, model.Version, _shard, ExactSpec.Kind, exact.Count);
        var generation = _generation;
        _build = BuildAsync(spec, generation, key, model);
    }

    private async Task<IVectorIndex> BuildAsync(IndexSpec spec, int generation, string key, ModelVersionInfo model)
    {
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.build");
        activity?.SetTag("recommender.index.requested", spec.ToString());
        activity?.SetTag("recommender.shard.rows", _ids.Length);
        try
        {
            var index = await indexBuilder.BuildAsync(_vectors, model.Dimension, spec, CancellationToken.None);
            activity?.SetTag("recommender.index.tier", index.Spec.Kind);
            activity?.SetTag("recommender.index.spec", index.Spec.ToString());
            RecommenderTelemetry.IndexBuildDuration.Record(index.BuildTime.TotalMilliseconds, new KeyValuePair<string, object?>("tier", index.Spec.Kind));
            // Back on the grain's turn: install it unless the rows changed meanwhile.
            if (generation == _generation)
            {
                _index = index;
                ServingState.ShardLoaded(key, model.Version, _shard, index.Spec.Kind, index.Count);
            }
            return index;
        }
        catch (Exception e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            if (generation == _generation) _buildError = e.Message;
            throw;
        }
    }

    /// <summary>The version's index; a version published as <c>auto</c> follows the silo's <c>Index:Tier</c> when that is set.</summary>
    private IndexSpec RequestedSpec(ModelVersionInfo model)
    {
        var spec = IndexSpec.Parse(model.Index);
        return spec.Tier == IndexTier.Auto && _indexOptions.Tier != IndexTier.Auto
            ? new IndexSpec(_indexOptions.Tier, _indexOptions.Tier == IndexTier.Pq4 ? IvfCodes.Pq4 : _indexOptions.IvfCodes)
            : spec;
    }

    private void DropIndex()
    {
        _rejectedByFilter.Clear();
        _generation++;
        _index = null;
        _exact = null;
        _build = null;
        _buildError = null;
    }

    public Task<MovieVector?> Find(string movieId)
    {
        var model = _model ?? throw NotLoaded();
        if (_loadedCount < _ids.Length) return Task.FromResult<MovieVector?>(null);
        _localOfId ??= _ids.Select((id, local) => (id, local)).ToDictionary(p => p.id, p => p.local, StringComparer.Ordinal);
        if (!_localOfId.TryGetValue(movieId, out var row)) return Task.FromResult<MovieVector?>(null);
        var embedding = _vectors.AsSpan(row * model.Dimension, model.Dimension).ToArray();
        return Task.FromResult<MovieVector?>(new MovieVector(_firstRow + row, movieId, _titles[row], embedding));
    }

    public Task<string[]> Genres() =>
        Task.FromResult(_genres.Where(g => g is not null).SelectMany(g => g).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

    /// <summary>The index ids (sorted) to skip: the excluded rows in this shard, and every movie the filter rejects.</summary>
    private int[] Excluded(ShardSearchRequest request)
    {
        var excluded = LocalRows(request.ExcludedRows);
        if (request.Filter is not { IsEmpty: false } filter) return excluded;
        return SortedUnion(excluded, Rejected(filter));
    }

    /// <summary>
    /// The rows the filter rejects, sorted. A scan of every row's genres, so the answers of the last few filters are
    /// kept (the same genres and decades are asked again and again); a write to the shard clears them.
    /// </summary>
    private int[] Rejected(MovieFilter filter)
    {
        if (_rejectedByFilter.TryGetValue(filter, out var cached)) return cached;
        var rejected = new List<int>();
        for (var local = 0; local < _ids.Length; local++)
            if (!filter.Matches(_genres[local], _years[local])) rejected.Add(local);
        if (_rejectedByFilter.Count >= MaxCachedFilters) _rejectedByFilter.Clear();
        return _rejectedByFilter[filter] = [.. rejected];
    }

    private static int[] SortedUnion(int[] x, int[] y)
    {
        var union = new List<int>(x.Length + y.Length);
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            var next = j >= y.Length || (i < x.Length && x[i] <= y[j]) ? x[i] : y[j];
            if (i < x.Length && x[i] == next) i++;
            if (j < y.Length && y[j] == next) j++;
            union.Add(next);
        }
        return [.. union];
    }

    /// <summary>The excluded global rows (sorted) that fall in this shard, as the index's 0-based ids.</summary>
    private int[] LocalRows(int[] excludedRows)
    {
        var from = LowerBound(excludedRows, _firstRow);
        var to = LowerBound(excludedRows, _firstRow + _ids.Length);
        var local = new int[Math.Max(0, to - from)];
        for (var i = 0; i < local.Length; i++) local[i] = excludedRows[from + i] - _firstRow;
        return local;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private void EnsureLayout(ModelVersionInfo model)
    {
        if (_model is not null)
        {
            if (!_model.HasSameLayout(model)) throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} already holds a different layout of version {_model.Version}.");
            return;
        }
        _shard = ShardOf(model);
        var (start, count) = Partitioning.ShardRows(model.ItemCount, model.CandidateShards, _shard);
        _firstRow = start;
        _vectors = new float[checked(count * model.Dimension)];
        _ids = new string[count];
        _titles = new string[count];
        _genres = new string[count][];
        _years = new int[count];
        _localOfId = null;
        _loaded = new bool[count];
        _model = model;
    }

    /// <summary>
    /// Asked about a version this shard holds nothing of (retired, or never sealed): said distinctly, so that a caller
    /// whose view of the active version is stale rereads the registry; and this empty activation goes.
    /// </summary>
    private VersionNotLoadedException NotLoaded()
    {
        DeactivateOnIdle();
        return VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
    }

    /// <summary>The shard index this grain's key names, checked against the version's layout.</summary>
    private int ShardOf(ModelVersionInfo model)
    {
        var key = this.GetPrimaryKeyString();
        if (!ShardKey.TryParse(key, out var parsed) || parsed.Version != model.Version || parsed.Shard >= model.CandidateShards)
            throw new ArgumentException($"Candidate shard key '{key}' does not match version {model.Version} with {model.CandidateShards} shards.");
        return parsed.Shard;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ServingState.ShardUnloaded(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Retire()
    {
        ServingState.ShardUnloaded(this.GetPrimaryKeyString());
        DropIndex();
        _vectors = [];
        _ids = [];
        _titles = [];
        _genres = [];
        _years = [];
        _localOfId = null;
        _loaded = [];
        _loadedCount = 0;
        _model = null;
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
