using System.Diagnostics;
using System.Runtime.InteropServices;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Telemetry;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's movie embeddings in memory and answers top-K searches over it.
/// Kept alive: its data arrives only by publishing, so idle collection would lose it.
/// </summary>
[KeepAlive]
public sealed class CandidateShardGrain : Grain, ICandidateShardGrain
{
    private ModelVersionInfo? _model;
    private int _shard;
    private int _firstRow;
    private float[] _vectors = [];
    private string[] _ids = [];
    private string[] _titles = [];
    private bool[] _loaded = [];
    private int _loadedCount;

    public Task Load(CandidateChunk chunk)
    {
        EnsureLayout(chunk.Model);
        var dim = chunk.Model.Dimension;
        var count = chunk.Ids.Length;
        if (chunk.Titles.Length != count || chunk.Vectors.Length != count * dim * sizeof(float))
            throw new ArgumentException($"Chunk at row {chunk.FirstRow}: {count} ids, {chunk.Titles.Length} titles and {chunk.Vectors.Length} vector bytes do not match dimension {dim}.");
        var local = chunk.FirstRow - _firstRow;
        if (local < 0 || local + count > _ids.Length)
            throw new ArgumentOutOfRangeException(nameof(chunk), $"Rows [{chunk.FirstRow}, {chunk.FirstRow + count}) fall outside shard {_shard}'s rows [{_firstRow}, {_firstRow + _ids.Length}).");

        MemoryMarshal.Cast<byte, float>(chunk.Vectors).CopyTo(_vectors.AsSpan(local * dim, count * dim));
        for (var i = 0; i < count; i++)
        {
            _ids[local + i] = chunk.Ids[i];
            _titles[local + i] = chunk.Titles[i];
            if (!_loaded[local + i])
            {
                _loaded[local + i] = true;
                _loadedCount++;
            }
        }
        return Task.CompletedTask;
    }

    public Task<int> LoadedRows() => Task.FromResult(_loadedCount);

    public Task<ScoredMovie[]> Search(ShardSearchRequest request)
    {
        var model = _model;
        if (model is null || _loadedCount < _ids.Length)
            throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} is not loaded ({_loadedCount} of {_ids.Length} rows); publish the model again.");
        if (request.K < 1) throw new ArgumentOutOfRangeException(nameof(request), "K must be at least 1.");

        var started = Stopwatch.GetTimestamp();
        var top = ExactScan.TopK(_vectors, model.Dimension, _firstRow, request.Query, request.K, request.ExcludedRows);
        var result = new ScoredMovie[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            var local = top[i].Row - _firstRow;
            result[i] = new ScoredMovie(top[i].Row, _ids[local], _titles[local], top[i].Score);
        }
        RecommenderTelemetry.ShardSearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return Task.FromResult(result);
    }

    private void EnsureLayout(ModelVersionInfo model)
    {
        if (_model is not null)
        {
            if (_model != model) throw new InvalidOperationException($"Candidate shard {this.GetPrimaryKeyString()} already holds a different layout of version {_model.Version}.");
            return;
        }
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        if (slash < 0 || key[..slash] != model.Version || !int.TryParse(key[(slash + 1)..], out _shard) || _shard < 0 || _shard >= model.CandidateShards)
            throw new ArgumentException($"Candidate shard key '{key}' does not match version {model.Version} with {model.CandidateShards} shards.");
        var (start, count) = Partitioning.ShardRows(model.ItemCount, model.CandidateShards, _shard);
        _firstRow = start;
        _vectors = new float[checked(count * model.Dimension)];
        _ids = new string[count];
        _titles = new string[count];
        _loaded = new bool[count];
        _model = model;
    }
}
