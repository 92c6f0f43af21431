using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's movie embeddings in memory and answers top-K searches over it through a
/// <see cref="MipsIndex"/>, built once the last row has arrived. The tier follows the shard's size (brute force for
/// small shards, so those stay exact) unless the silo's <see cref="IndexOptions"/> (section <c>Index</c>) set one; every tier returns
/// exact float32 scores. Pushed in chunks, then sealed: the seal writes the partition to the model storage, from
/// which a restarted or moved activation reloads it. Kept alive while loaded: rebuilding the index costs time.
/// </summary>
[KeepAlive, ShardSpreadPlacement]
public sealed class CandidateShardGrain(
    IOptions<IndexOptions> indexOptions,
    IOptions<ShardRebalanceOptions> rebalance,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    [PersistentState("candidates", ModelStorage.ProviderName)] IPersistentState<CandidatePartitionState> state) : Grain, ICandidateShardGrain
{
    private readonly IndexOptions _indexOptions = indexOptions.Value;
    private MipsIndex? _index;
    private MipsIndex? _exactIndex;
    private ModelVersionInfo? _model;
    private int _shard;
    private int _firstRow;
    private float[] _vectors = [];
    private string[] _ids = [];
    private string[] _titles = [];
    private string[][] _genres = [];
    private int[] _years = [];
    private Dictionary<string, int>? _localOfId;
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
        // Any write invalidates the index; it is rebuilt once every row is present.
        _index = null;
        _exactIndex = null;
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
        EnsureIndex(model);
        if (state.RecordExists && state.State.Model is { } stored && stored.HasSameLayout(model)) return;
        state.State = new CandidatePartitionState { Model = model, FirstRow = _firstRow, Ids = _ids, Titles = _titles, Genres = _genres, Years = _years, Vectors = _vectors };
        await state.WriteStateAsync();
    }

    public Task<ScoredMovie[]> Search(ShardSearchRequest request)
    {
        var model = _model;
        if (model is null || _loadedCount < _ids.Length)
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} is not loaded ({_loadedCount} of {_ids.Length} rows); publish the model again.");
        if (request.K < 1) throw new ArgumentOutOfRangeException(nameof(request), "K must be at least 1.");

        var started = Stopwatch.GetTimestamp();
        var index = EnsureIndex(model);
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.search");
        activity?.SetTag("recommender.index.tier", index.TierName);
        activity?.SetTag("recommender.shard.rows", index.Count);
        var result = Scored(index.Search(request.Query, request.K, Excluded(request), new SearchParameters(request.Tuning?.Rerank, request.Tuning?.Probe)));
        RecommenderTelemetry.ShardSearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("tier", index.TierName));
        return Task.FromResult(result);
    }

    public Task<ExactShardAnswer> SearchExact(ShardSearchRequest request)
    {
        var model = _model;
        if (model is null || _loadedCount < _ids.Length)
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} is not loaded ({_loadedCount} of {_ids.Length} rows); publish the model again.");
        var index = EnsureIndex(model);
        // The index's own exact tier over the same rows: the same K, exclusion and tie rules as the served search.
        var exact = index.Tier == IndexTier.Exact ? index
            : _exactIndex ??= MipsIndex.Build(_vectors, model.Dimension, _indexOptions with { Tier = IndexTier.Exact });
        return Task.FromResult(new ExactShardAnswer(Scored(exact.Search(request.Query, request.K, Excluded(request))), index.TierName));
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

    /// <summary>The index over every row, built on first need (after a seal, a reload or a move) and reported.</summary>
    private MipsIndex EnsureIndex(ModelVersionInfo model)
    {
        if (_index is { } built) return built;
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("index.build");
        var index = MipsIndex.Build(_vectors, model.Dimension, _indexOptions);
        activity?.SetTag("recommender.index.tier", index.TierName);
        activity?.SetTag("recommender.shard.rows", index.Count);
        RecommenderTelemetry.IndexBuildDuration.Record(index.BuildTime.TotalMilliseconds, new KeyValuePair<string, object?>("tier", index.TierName));
        ServingState.ShardLoaded(this.GetPrimaryKeyString(), model.Version, _shard, index.TierName, index.Count);
        return _index = index;
    }

    public Task<MovieVector?> Find(string movieId)
    {
        var model = _model;
        if (model is null || _loadedCount < _ids.Length) return Task.FromResult<MovieVector?>(null);
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
        var rejected = new List<int>();
        for (var local = 0; local < _ids.Length; local++)
            if (!filter.Matches(_genres[local], _years[local])) rejected.Add(local);
        return [.. excluded.Concat(rejected).Distinct().Order()];
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

    /// <summary>The shard index this grain's key names, checked against the version's layout.</summary>
    private int ShardOf(ModelVersionInfo model)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        if (slash < 0 || key[..slash] != model.Version || !int.TryParse(key[(slash + 1)..], out var shard) || shard < 0 || shard >= model.CandidateShards)
            throw new ArgumentException($"Candidate shard key '{key}' does not match version {model.Version} with {model.CandidateShards} shards.");
        return shard;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ServingState.ShardUnloaded(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Retire()
    {
        ServingState.ShardUnloaded(this.GetPrimaryKeyString());
        _index = null;
        _exactIndex = null;
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
