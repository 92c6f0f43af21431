using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Shards;
using MovieRecommender.Index;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>
/// A filter that keeps 1 % of a shard served by an IVF index: the shard scores just those rows, so the answer is the
/// exact top K among them (IVF alone probes lists that hold few of them). A filter keeping 30 % goes through the index,
/// with a probe widened by the share it keeps.
/// </summary>
public sealed class FilteredSearchTests
{
    private const int Rows = 20_000;
    private const int Dim = 16;
    private static readonly ModelVersionInfo Version = new("v1", Dim, Rows, UserCount: 1, CandidateShards: 1, UserShards: 1, DateTimeOffset.UnixEpoch,
        Index: "ivf-int8:lists=200,probe=2");

    [Fact]
    public async Task AFilterKeepingOnePercentIsAnsweredExactly()
    {
        var (partition, slot) = await IndexedShardAsync();
        var rare = new MovieFilter(Genre: "Rare");
        Assert.Equal(Rows / 100, partition.Exclusions.KeptIfSelective(rare)?.Length);

        var random = new Random(3);
        for (var q = 0; q < 20; q++)
        {
            var request = new ShardSearchRequest(Query(random), 10, [], rare);
            var served = slot.Search(partition, request);
            var exact = slot.SearchExact(partition, request).Movies;
            Assert.Equal(exact.Select(m => m.Row), served.Select(m => m.Row));
            Assert.All(served, m => Assert.Equal(0, m.Row % 100));
        }
    }

    [Fact]
    public async Task ABroadFilterStaysOnTheIndexWithAWiderProbe()
    {
        var (partition, slot) = await IndexedShardAsync();
        var common = new MovieFilter(Genre: "Common");
        Assert.Null(partition.Exclusions.KeptIfSelective(common));
        Assert.InRange(partition.Exclusions.KeptShare(common), 0.29, 0.31);

        var random = new Random(4);
        int widened = 0, asPublished = 0;
        for (var q = 0; q < 20; q++)
        {
            var query = Query(random);
            var request = new ShardSearchRequest(query, 10, [], common);
            var exact = slot.SearchExact(partition, request).Movies.Select(m => m.Row).ToArray();
            widened += slot.Search(partition, request).Count(m => exact.Contains(m.Row));
            asPublished += slot.Search(partition, request with { Tuning = new SearchTuning(Probe: 2) }).Count(m => exact.Contains(m.Row));
        }
        // Probe 2 of 200 lists finds 30 % of the candidates it would unfiltered; widened to 7 it finds about as many.
        Assert.True(widened > asPublished + 20, $"recall@10 {widened / 200.0:F3} widened, {asPublished / 200.0:F3} at the published probe");
    }

    private static async Task<(CandidatePartition, ShardIndexSlot)> IndexedShardAsync()
    {
        var partition = CandidatePartition.ForLayout(Version, shard: 0);
        var random = new Random(1);
        var vectors = new float[Rows * Dim];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)(random.NextDouble() * 2 - 1);
        // Every 100th row is "Rare" (1 %); rows with r % 10 < 3 are "Common" (30 %).
        var genres = Enumerable.Range(0, Rows).Select(r => r % 100 == 0 ? new[] { "Rare" } : r % 10 < 3 ? ["Common"] : new[] { "Other" }).ToArray();
        partition.Take(new CandidateChunk(Version, 0, [.. Enumerable.Range(0, Rows).Select(r => $"m{r}")], [.. Enumerable.Range(0, Rows).Select(r => $"Title {r}")],
            MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray(), genres, [.. Enumerable.Range(0, Rows).Select(_ => 2000)]));
        var slot = new ShardIndexSlot(new ShardIndexBuilder(Options.Create(IndexOptions.Default)), IndexOptions.Default);
        await slot.Start(partition, (_, _) => { });
        Assert.Equal(IndexKind.IvfInt8, slot.Installed?.Spec.Kind);
        return (partition, slot);
    }

    private static float[] Query(Random random) => [.. Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() * 2 - 1))];
}
