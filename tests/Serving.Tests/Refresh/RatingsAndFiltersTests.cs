using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Refresh;

/// <summary>New ratings, cold start, filters and similar movies, each against a brute-force computation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RatingsAndFiltersTests(ClusterFixture fixture)
{
    private const int K = 10;

    private async Task<ModelArtifact> PublishAsync(TempFolder temp, int seed)
    {
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 30, items: 210, dim: 6, seed: seed));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });
        return artifact;
    }

    [Fact]
    public async Task ARatedMovieIsExcludedAtOnceAndFoldedIntoTheQuery()
    {
        using var temp = new TempFolder();
        var artifact = await PublishAsync(temp, 601);
        var row = 4;
        var user = fixture.Client.GetGrain<IUserGrain>(artifact.Users[row].Id);
        var before = await user.Recommend(K);
        var rated = before.Movies[0];

        await user.Rate(rated.Id, 5);
        var after = await user.Recommend(K);

        Assert.DoesNotContain(after.Movies, m => m.Id == rated.Id);
        // The expected query: u + |u| / (n + 1) · i / |i|, n = the user's training movies.
        var u = artifact.UserEmbeddings.Row(row).ToArray();
        var i = artifact.ItemEmbeddings.Row(rated.Row).ToArray();
        var n = artifact.Users[row].Seen.Count;
        var weight = Norm(u) / (n + 1) / Norm(i);
        var query = u.Select((x, d) => x + weight * i[d]).ToArray();
        var excluded = artifact.Users[row].Seen.Select(RowOf(artifact)).Append(rated.Row).ToHashSet();
        var expected = BruteForce(artifact, query, excluded, _ => true);
        Assert.Equal(expected.Select(e => e.Row), after.Movies.Select(m => m.Row));
        Assert.All(expected.Zip(after.Movies), p => Assert.Equal(p.First.Score, p.Second.Score, 1e-4));

        var log = await RatingLog.AllAsync(fixture.Client);
        Assert.Contains(log, r => r.UserId == artifact.Users[row].Id && r.MovieId == rated.Id && r.Value == 5);
    }

    [Fact]
    public async Task AnUnknownUserWithRatingsGetsRecommendationsFromThoseMovies()
    {
        using var temp = new TempFolder();
        var artifact = await PublishAsync(temp, 602);
        var newcomer = fixture.Client.GetGrain<IUserGrain>($"9{Random.Shared.Next(100000, 999999)}");
        Assert.Equal(RecommendationSource.Popular, (await newcomer.Recommend(K)).Source);

        int[] ratedRows = [3, 50, 120];
        foreach (var r in ratedRows) await newcomer.Rate(artifact.Items[r].Id, 4.5);
        var result = await newcomer.Recommend(K);

        Assert.Equal(RecommendationSource.Ratings, result.Source);
        var meanUserNorm = Enumerable.Range(0, artifact.Users.Count).Average(r => Norm(artifact.UserEmbeddings.Row(r).ToArray()));
        var direction = new float[artifact.Manifest.Dimension];
        foreach (var r in ratedRows)
        {
            var v = artifact.ItemEmbeddings.Row(r).ToArray();
            var norm = Norm(v);
            for (var d = 0; d < direction.Length; d++) direction[d] += v[d] / norm;
        }
        var scale = (float)meanUserNorm / Norm(direction);
        var expected = BruteForce(artifact, direction.Select(x => x * scale).ToArray(), ratedRows.ToHashSet(), _ => true);
        Assert.Equal(expected.Select(e => e.Row), result.Movies.Select(m => m.Row));
    }

    [Fact]
    public async Task FiltersApplyInsideTheShardsSoKMatchingMoviesComeBack()
    {
        using var temp = new TempFolder();
        var artifact = await PublishAsync(temp, 603);
        var row = 7;
        var user = fixture.Client.GetGrain<IUserGrain>(artifact.Users[row].Id);
        var excluded = artifact.Users[row].Seen.Select(RowOf(artifact)).ToHashSet();
        var u = artifact.UserEmbeddings.Row(row).ToArray();

        var comedies = await user.Recommend(K, new MovieFilter(Genre: "comedy"));
        Assert.Equal(K, comedies.Movies.Length);
        Assert.Equal(BruteForce(artifact, u, excluded, r => artifact.Items[r].Genres.Contains("Comedy")).Select(e => e.Row), comedies.Movies.Select(m => m.Row));

        var sixties = await user.Recommend(K, new MovieFilter(MinYear: 1960, MaxYear: 1969));
        Assert.Equal(K, sixties.Movies.Length);
        Assert.Equal(BruteForce(artifact, u, excluded, r => artifact.Items[r].Year is >= 1960 and <= 1969).Select(e => e.Row), sixties.Movies.Select(m => m.Row));

        var none = await user.Recommend(K, new MovieFilter(Genre: "Western"));
        Assert.Empty(none.Movies);
    }

    [Fact]
    public async Task SimilarMoviesAreTheNearestCandidateEmbeddingsThroughTheShards()
    {
        using var temp = new TempFolder();
        var artifact = await PublishAsync(temp, 604);
        var movieRow = 42;

        var result = await fixture.Client.GetGrain<IMovieGrain>(artifact.Items[movieRow].Id).Similar(K, MovieFilter.None);

        Assert.Equal(RecommendationSource.Similar, result.Source);
        var expected = BruteForce(artifact, artifact.ItemEmbeddings.Row(movieRow).ToArray(), new HashSet<int> { movieRow }, _ => true);
        Assert.Equal(expected.Select(e => e.Row), result.Movies.Select(m => m.Row));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<IMovieGrain>("no-such-movie").Similar(K, MovieFilter.None));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(5.5)]
    [InlineData(double.NaN)]
    public async Task AnInvalidRatingOrMovieIsRefused(double rating)
    {
        using var temp = new TempFolder();
        var artifact = await PublishAsync(temp, 605);
        var user = fixture.Client.GetGrain<IUserGrain>(artifact.Users[0].Id);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => user.Rate(artifact.Items[0].Id, rating));
        await Assert.ThrowsAsync<ArgumentException>(() => user.Rate("no-such-movie", 3));
    }

    private static Func<string, int> RowOf(ModelArtifact artifact)
    {
        var rows = artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row);
        return id => rows[id];
    }

    private static (int Row, float Score)[] BruteForce(ModelArtifact artifact, float[] query, ISet<int> excluded, Func<int, bool> accept) =>
        Enumerable.Range(0, artifact.Items.Count)
            .Where(r => !excluded.Contains(r) && accept(r))
            .Select(r =>
            {
                var item = artifact.ItemEmbeddings.Row(r);
                double sum = 0;
                for (var d = 0; d < query.Length; d++) sum += (double)query[d] * item[d];
                return (Row: r, Score: (float)sum);
            })
            .OrderBestFirst(p => p.Score, p => p.Row).Take(K).ToArray();

    private static float Norm(float[] v) => (float)Math.Sqrt(v.Sum(x => (double)x * x));
}
