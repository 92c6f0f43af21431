using MovieRecommender.Grains;
using MovieRecommender.Grains.Search;

namespace MovieRecommender.Serving.Tests.Search;

public sealed class ExactScanTests
{
    [Fact]
    public void FindsTheHandCheckableTopKWithGlobalRows()
    {
        // Rows 10..13 of a version; query (1, 0): scores 0.5, 2, -1, 2 → rows 11 and 13 tie, lower row first.
        float[] vectors = [0.5f, 9, 2, 0, -1, 5, 2, -3];
        var top = ExactScan.TopK(vectors, dim: 2, firstRow: 10, query: [1, 0], k: 3, excludedRows: []);
        Assert.Equal([(11, 2f), (13, 2f), (10, 0.5f)], top);
    }

    [Fact]
    public void SkipsExcludedRowsSoKResultsStillComeBack()
    {
        float[] vectors = [4, 3, 2, 1, 0];
        var top = ExactScan.TopK(vectors, dim: 1, firstRow: 100, query: [1], k: 2, excludedRows: [7, 100, 101, 500]);
        Assert.Equal([(102, 2f), (103, 1f)], top);
    }

    [Fact]
    public void KLargerThanTheBlockReturnsTheWholeBlock()
    {
        var top = ExactScan.TopK([1, 2, 3], dim: 1, firstRow: 0, query: [1], k: 50, excludedRows: []);
        Assert.Equal([2, 1, 0], top.Select(t => t.Row));
    }

    [Fact]
    public void AgreesWithANaiveScanOnRandomData()
    {
        var random = new Random(7);
        const int dim = 19, rows = 500;
        var vectors = Enumerable.Range(0, rows * dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var query = Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        int[] excluded = [3, 40, 41, 499];
        var naive = Enumerable.Range(0, rows).Where(r => !excluded.Contains(r))
            .Select(r => (Row: r, Score: Enumerable.Range(0, dim).Sum(d => (double)vectors[r * dim + d] * query[d])))
            .OrderByDescending(p => p.Score).Take(25).ToArray();
        var top = ExactScan.TopK(vectors, dim, 0, query, 25, excluded);
        Assert.Equal(naive.Select(p => p.Row), top.Select(p => p.Row));
        Assert.All(naive.Zip(top), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-5));
    }

    [Fact]
    public void RefusesAQueryOfTheWrongDimension()
    {
        Assert.Throws<ArgumentException>(() => ExactScan.TopK(new float[8], dim: 4, firstRow: 0, query: [1, 2], k: 1, excludedRows: []));
    }

    [Fact]
    public void MergeKeepsTheGlobalTopKAcrossShards()
    {
        ScoredMovie M(int row, float score) => new(row, $"{row}", $"t{row}", score);
        var merged = ShardResultMerger.Merge([[M(1, 5), M(2, 1)], [M(10, 4), M(11, 3)], [], [M(20, 5), M(21, 0)]], k: 4);
        Assert.Equal([1, 20, 10, 11], merged.Select(m => m.Row));
    }

    [Fact]
    public void PartitionsCoverEveryRowOnce()
    {
        foreach (var (items, shards) in new[] { (10, 3), (1664, 4), (7, 7), (1, 1), (100, 16) })
        {
            var covered = Enumerable.Range(0, shards)
                .SelectMany(s => { var (start, count) = Partitioning.ShardRows(items, shards, s); return Enumerable.Range(start, count); });
            Assert.Equal(Enumerable.Range(0, items), covered);
        }
    }
}
