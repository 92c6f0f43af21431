using MovieRecommender.Index;
using Xunit.Abstractions;

namespace MovieRecommender.Index.Tests;

/// <summary>
/// What <c>auto</c> builds by shard size, the probe it calibrates on the shard's own rows, its fallback to flat int8
/// where IVF cannot reach the recall target, and the <see cref="IVectorIndex.Spec"/> naming what was built.
/// </summary>
public sealed class AutoIndexTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1_682 / 16, "exact")]     // ML-100K's catalogue in 16 shards
    [InlineData(1_682, "exact")]
    [InlineData(IndexDefaults.ExactBelow - 1, "exact")]
    [InlineData(IndexDefaults.ExactBelow, "int8")]
    [InlineData(IndexDefaults.IvfFrom - 1, "int8")]
    [InlineData(IndexDefaults.IvfFrom, "ivf-int8")]
    [InlineData(62_500, "ivf-int8")]       // 1M movies in 16 shards
    [InlineData(625_000, "ivf-int8")]      // 10M movies in 16 shards
    public void AutoPicksByShardSize(int rows, string kind)
    {
        Assert.Equal(kind, IndexSpec.Auto.Resolve(rows, 64).ToString());
        Assert.Equal(kind, IndexSpec.Parse(kind).Resolve(rows, 64).ToString());
    }

    [Fact]
    public void ASmallShardIsTheExactScan()
    {
        const int dim = 16;
        var vectors = IndexTestData.Clustered(1_682 / 16, dim, seed: 31);
        var index = VectorIndex.Build(vectors, dim, IndexSpec.Auto);
        Assert.IsType<FlatIndex>(index);
        Assert.Equal("exact", index.Spec.ToString());
    }

    [Fact]
    public void ALargeClusteredShardGetsIvfWithACalibratedProbeThatReachesTheTarget()
    {
        const int dim = 16;
        var vectors = IndexTestData.Clustered(IndexDefaults.IvfFrom + 4_000, dim, seed: 32, clusters: 64);
        var index = Assert.IsType<RefineIndex>(VectorIndex.Build(vectors, dim, IndexSpec.Auto));
        var ivf = Assert.IsType<IvfIndex>(index.Base);
        var calibration = Assert.IsType<ProbeCalibration>(index.Calibration);
        output.WriteLine($"{index.Spec}: {calibration}; tried {string.Join(", ", calibration.Tried)}");

        Assert.True(calibration.Reached, calibration.ToString());
        Assert.True(calibration.Recall >= IndexDefaults.RecallTarget);
        Assert.Equal(calibration.Probe, ivf.Probe);
        Assert.True(ivf.Probe <= IndexDefaults.MaxAutoProbe(ivf.Lists));
        // The probe before it fell short: the smallest probe tried that reached the target.
        Assert.All(calibration.Tried.SkipLast(1), t => Assert.True(t.Recall < IndexDefaults.RecallTarget));
        Assert.Equal($"ivf-int8:lists={IvfIndex.DefaultLists(vectors.Length / dim)},probe={ivf.Probe}", index.Spec.ToString());

        // Held-out queries (not rows of the shard) at the calibrated probe.
        var recall = IndexTestData.Recall(index, vectors, IndexTestData.Clustered(50, dim, seed: 33, clusters: 64), k: 10);
        output.WriteLine($"recall@10 of held-out queries: {recall:F3}");
        Assert.True(recall >= 0.9, $"recall@10 of held-out queries {recall:F3} < 0.9");
    }

    [Fact]
    public void ALargeShardWithoutStructureFallsBackToFlatInt8()
    {
        const int dim = 32;
        var vectors = IndexTestData.Gaussian(IndexDefaults.IvfFrom + 4_000, dim, seed: 34);
        var index = Assert.IsType<RefineIndex>(VectorIndex.Build(vectors, dim, IndexSpec.Auto));
        var calibration = Assert.IsType<ProbeCalibration>(index.Calibration);
        output.WriteLine($"{index.Spec}: {calibration}");
        Assert.False(calibration.Reached);
        Assert.IsType<FlatCodeIndex>(index.Base);
        Assert.Equal("int8", index.Spec.ToString());
        var recall = IndexTestData.Recall(index, vectors, IndexTestData.Gaussian(20, dim, seed: 35), k: 10);
        Assert.True(recall >= 0.95, $"flat int8 recall@10 {recall:F3} < 0.95");
    }

    [Fact]
    public void ExplicitParametersWinAndAnExplicitIvfIsNeverReplaced()
    {
        const int dim = 16;
        var vectors = IndexTestData.Gaussian(5_000, dim, seed: 36);
        var given = VectorIndex.Build(vectors, dim, IndexSpec.Parse("ivf-int8:lists=50,probe=3,rerank=40"));
        Assert.Equal("ivf-int8:lists=50,probe=3,rerank=40", given.Spec.ToString());
        Assert.Null(Assert.IsType<RefineIndex>(given).Calibration);

        // Lists given, probe left to the calibration: on unstructured rows it probes as many lists as it takes.
        var calibrated = Assert.IsType<RefineIndex>(VectorIndex.Build(vectors, dim, IndexSpec.Parse("ivf-int8:lists=50")));
        Assert.Equal(IndexKind.IvfInt8, calibrated.Spec.Kind);
        Assert.Equal(50, calibrated.Spec.Lists);
        Assert.NotNull(calibrated.Spec.Probe);
        Assert.NotNull(calibrated.Calibration);
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("int8:rerank=30")]
    [InlineData("pq4:subspaces=8")]
    [InlineData("ivf-pq4:lists=40,probe=6,subspaces=4,rerank=100")]
    public void TheSpecOfABuiltIndexNamesWhatWasBuiltAndRebuildsIt(string text)
    {
        const int dim = 16;
        var vectors = IndexTestData.Clustered(3_000, dim, seed: 37);
        var index = VectorIndex.Build(vectors, dim, IndexSpec.Parse(text));
        var spec = index.Spec;
        Assert.NotEqual(IndexKind.Auto, spec.Kind);
        Assert.Equal(spec, VectorIndex.Build(vectors, dim, IndexSpec.Parse(spec.ToString())).Spec);
        if (text.StartsWith("pq4", StringComparison.Ordinal)) Assert.Equal("pq4:subspaces=8", spec.ToString());
        if (text == "int8:rerank=30") Assert.Equal(text, spec.ToString());
        if (text.StartsWith("ivf", StringComparison.Ordinal)) Assert.Equal(text, spec.ToString());
    }
}
