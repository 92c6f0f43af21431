using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>The candidate reservoir keeps exactly the K' best approximate scores, on both paths, ties included.</summary>
public sealed class CandidateHeapTests
{
    [Theory]
    [InlineData(10, 100_000, 1_000_000)]
    [InlineData(500, 100_000, 50)]
    [InlineData(2000, 50_000, 1)]
    [InlineData(64, 100, 1000)]
    public void KeepsTheBestScoresWithPaddingAndExclusionsMaskedOut(int capacity, int rows, int scoreRange)
    {
        var random = new Random(capacity + rows);
        var scores = Enumerable.Range(0, rows).Select(_ => random.Next(-scoreRange, scoreRange)).ToArray();
        // Every tenth row is masked (excluded or padding), as the scanner does.
        for (var i = 0; i < rows; i += 10) scores[i] = int.MinValue;
        var simd = Run(scores, capacity, portable: false);
        var portable = Run(scores, capacity, portable: true);
        Assert.Equal(portable, simd);

        var expected = scores.Where(s => s != int.MinValue).OrderDescending().Take(capacity).ToArray();
        Assert.Equal(expected, simd.Select(id => scores[id]).OrderDescending().ToArray());
        Assert.DoesNotContain(simd, id => id % 10 == 0);
        Assert.Equal(simd.Length, simd.Distinct().Count());
    }

    private static int[] Run(int[] scores, int capacity, bool portable)
    {
        var heap = new CandidateHeap(capacity);
        for (var first = 0; first < scores.Length; first += 2048)
            heap.OfferMasked(scores.AsSpan(first, Math.Min(2048, scores.Length - first)), first, portable);
        return heap.Finish().ToArray();
    }
}
