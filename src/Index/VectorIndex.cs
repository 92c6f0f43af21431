using System.Diagnostics;

namespace MovieRecommender.Index;

/// <summary>Builds the index an <see cref="IndexSpec"/> names (FAISS's <c>index_factory</c>).</summary>
public static class VectorIndex
{
    /// <summary>
    /// Builds <paramref name="spec"/> (resolved for the shard's size when <see cref="IndexSpec.Auto"/>) over rows x
    /// <paramref name="dim"/> floats, row-major; <paramref name="build"/> supplies what the spec leaves unset (threads,
    /// k-means, SIMD, calibration). The index references <paramref name="vectors"/>: do not change them afterwards.
    /// Exact: a <see cref="FlatIndex"/>; every other kind: a <see cref="RefineIndex"/> around a
    /// <see cref="FlatCodeIndex"/> or an <see cref="IvfIndex"/>. An IVF probe left unset is calibrated on the shard's
    /// own rows (<see cref="ProbeCalibration"/>); under <c>auto</c>, a shard where IVF cannot reach
    /// <see cref="IndexOptions.RecallTarget"/> cheaply gets int8 codes scanned in full instead (see <see cref="IndexDefaults"/>).
    /// </summary>
    public static IVectorIndex Build(float[] vectors, int dim, IndexSpec spec, IndexOptions? build = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(spec);
        VectorGuard.CheckRows(vectors, dim, nameof(vectors));
        var rows = vectors.Length / dim;
        return Build(vectors, dim, spec.Resolve(rows, dim).ApplyTo(build ?? IndexOptions.Default), fromAuto: spec.Kind == IndexKind.Auto);
    }

    private static IVectorIndex Build(float[] vectors, int dim, IndexOptions options, bool fromAuto)
    {
        var started = Stopwatch.GetTimestamp();
        switch (options.Kind)
        {
            case IndexKind.Exact:
                return FlatIndex.Build(vectors, dim, options.Simd);
            case IndexKind.Int8:
                return new RefineIndex(FlatCodeIndex.BuildInt8(vectors, dim, options), vectors, options.Rerank);
            case IndexKind.Pq4:
                return new RefineIndex(FlatCodeIndex.BuildPq4(vectors, dim, options), vectors, options.Rerank);
            case IndexKind.IvfInt8 or IndexKind.IvfPq4:
                var ivf = IvfIndex.Build(vectors, dim, options.Kind, options);
                if (options.IvfProbe is not null || ivf.Count == 0) return new RefineIndex(ivf, vectors, options.Rerank);
                // Auto falls back to flat int8 past a quarter of the lists; an explicit IVF probes as many as it takes.
                var calibration = ProbeCalibration.Run(ivf, vectors, options,
                    fromAuto ? IndexDefaults.MaxAutoProbe(ivf.Lists) : ivf.Lists);
                CodeIndex chosen = calibration.Probe is { } probe ? ivf.WithProbe(probe)
                    : fromAuto ? FlatCodeIndex.BuildInt8(vectors, dim, options)
                    : ivf.WithProbe(ivf.Lists);
                return new RefineIndex(chosen, vectors, options.Rerank) { Calibration = calibration, BuildTime = Stopwatch.GetElapsedTime(started) };
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Kind,
                    $"Unknown index kind {options.Kind}; expected one of {string.Join(", ", IndexKinds.Names.Skip(1))}.");
        }
    }

    /// <summary>
    /// The K best of the rows <paramref name="ids"/> (ascending, none repeated) by their exact float32 scores, in
    /// <see cref="TopKOrder"/>: the search of a filter that keeps few rows, where probing an index's lists finds too
    /// few of them (recall collapses under such filters in IVF and graph indexes) and scoring just those rows costs little.
    /// </summary>
    public static SearchHit[] ExactAmong(float[] vectors, int dim, ReadOnlySpan<float> query, ReadOnlySpan<int> ids, int k, SimdLevel? simd = null)
    {
        VectorGuard.CheckQuery(query, dim, nameof(query));
        VectorGuard.CheckSorted(ids, nameof(ids));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (ids.Length > 0 && (ids[0] < 0 || (long)(ids[^1] + 1) * dim > vectors.Length))
            throw new ArgumentOutOfRangeException(nameof(ids), $"Row ids must fall within the {vectors.Length / Math.Max(1, dim)} rows given.");
        if (k == 0 || ids.IsEmpty) return [];
        var portable = SimdSupport.Resolve(simd) == SimdLevel.Portable;
        // Selection, not a sort: thousands of rows for ten answers. The best so far, best first.
        var best = new SearchHit[Math.Min(k, ids.Length)];
        var count = 0;
        foreach (var id in ids)
        {
            var hit = new SearchHit(id, FloatDot.Dot(vectors.AsSpan(id * dim, dim), query, portable));
            if (count == best.Length && !TopKOrder.IsBetter(hit, best[count - 1])) continue;
            var at = count < best.Length ? count++ : count - 1;
            while (at > 0 && TopKOrder.IsBetter(hit, best[at - 1]))
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = hit;
        }
        return best;
    }
}
