using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Operations.Verification;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Ratings;

/// <summary>
/// The user log on a cluster of its own: enough ratings to seal segments, read back in the same order after every
/// grain was collected; <c>verify</c>'s reference folds them as the user grains do, and fails when one user's served
/// answer is corrupted (by a call filter of this test); an erasure rewrites the sealed segments that held the user.
/// </summary>
public sealed class UserLogServingTests
{
    private const int K = 10;
    // The user whose answers the corrupting filter changes, while set.
    private static volatile string? _corrupted;

    [Fact]
    public async Task SealedRatingsSurviveCollectionVerifyFoldsThemAndCatchesACorruptedAnswerAndErasureRewritesSegments()
    {
        using var store = new TempFolder();
        using var models = new TempFolder();
        var cluster = await TestClusterFixture.StartAsync(store.Path, silos: 2, silo => silo.AddIncomingGrainCallFilter(async call =>
        {
            await call.Invoke();
            if (call.Result is Recommendation served && served.UserId == _corrupted && served.Movies.Length > 1)
                call.Result = served with { Movies = [served.Movies[1], served.Movies[0], .. served.Movies[2..]] };
        }));
        try
        {
            var grains = cluster.Client;
            var artifact = ModelArtifact.Load(ArtifactWriter.Write(models.Path, TestArtifacts.Content(users: 30, items: 400, dim: 8, seed: 61)));
            await new ArtifactPublisher(grains).PublishAsync(artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });

            // User 3 rates 300 movies: more than a segment of their partition. Others rate a few; a new user too.
            var heavy = artifact.Users[2].Id;
            foreach (var movie in artifact.Items.Take(300))
                await grains.GetGrain<IUserGrain>(heavy).Rate(movie.Id, 3.5);
            var random = new Random(3);
            await Parallel.ForEachAsync(artifact.Users.Skip(3).Select(u => u.Id).Append("990001"), async (user, _) =>
            {
                foreach (var movie in artifact.Items.OrderBy(_ => random.Next()).Take(4))
                    await grains.GetGrain<IUserGrain>(user).Rate(movie.Id, 4);
            });
            var partition = IRatingLogGrain.For(grains, heavy);
            var first = await partition.Read(0);
            Assert.False(first.IsLast, $"segment 0 is the open one, with {first.Entries.Length} entries"); // a sealed segment

            var before = await RatingLog.AllAsync(grains);
            Assert.Equal(300 + 28 * 4, before.Length);
            var answers = await AnswersAsync(grains, artifact);
            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(before, await RatingLog.AllAsync(grains));
            Assert.Equal(answers, await AnswersAsync(grains, artifact));

            // verify folds the ratings as the user grains do, and says how many users had live state.
            var report = await new ServingVerifier(grains, artifact).VerifyAsync(K);
            Assert.True(report.Passed, string.Join("; ", report.Examples));
            Assert.Equal((31, 29), (report.Users, report.UsersWithLiveState));

            // One user's served answer corrupted: verify fails, naming them.
            _corrupted = artifact.Users[4].Id;
            var corrupted = await new ServingVerifier(grains, artifact).VerifyAsync(K);
            _corrupted = null;
            Assert.False(corrupted.Passed);
            Assert.Equal(1, corrupted.Mismatched);
            Assert.StartsWith($"user {artifact.Users[4].Id}: rank 1:", Assert.Single(corrupted.Examples));

            // Erasing the heavy user rewrites the sealed segment that held them; the others' ratings stay, in order.
            Assert.True(await grains.GetGrain<IUserGrain>(heavy).Erase());
            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(before.Where(r => r.UserId != heavy), await RatingLog.AllAsync(grains));
            Assert.Equal(heavy, Assert.Single(await partition.Erasures()).UserId);
            Assert.Contains(heavy, await IRatingLogGrain.ErasedUsersAsync(grains));
            Assert.Equal(RecommendationSource.Popular, (await grains.GetGrain<IUserGrain>(heavy).Recommend(K)).Source);
            Assert.False(await grains.GetGrain<IUserGrain>("990002").Erase());
            var after = await new ServingVerifier(grains, artifact).VerifyAsync(K);
            Assert.True(after.Passed, string.Join("; ", after.Examples));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<string[]> AnswersAsync(IGrainFactory grains, ModelArtifact artifact) =>
        [.. (await Task.WhenAll(artifact.Users.Select(u => grains.GetGrain<IUserGrain>(u.Id).Recommend(K))))
            .Select(r => string.Join(' ', r.Movies.Select(m => $"{m.Id}:{m.Score:R}")))];
}
