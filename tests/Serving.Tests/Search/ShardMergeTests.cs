using MovieRecommender.Grains;
using MovieRecommender.Grains.Search;

namespace MovieRecommender.Serving.Tests.Search;

/// <summary>How shards split a version and how their answers merge; the scan itself is the index's (tests/Index).</summary>
public sealed class ShardMergeTests
{
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
