using System.Collections.Concurrent;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>
/// Callers asking for recommendations of random users of an artifact, back to back, until stopped (while a test
/// publishes or rolls back under them); what each got, with the user's row, and what failed.
/// </summary>
internal sealed class RecommendationLoad
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;

    public ConcurrentBag<(int Row, Recommendation Result)> Results { get; } = [];

    public ConcurrentBag<Exception> Failures { get; } = [];

    private RecommendationLoad(IGrainFactory grains, ModelArtifact users, int k, int callers) =>
        _callers = [.. Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            while (!_stop.IsCancellationRequested)
            {
                var row = random.Next(users.Users.Count);
                try { Results.Add((row, await grains.GetGrain<IUserGrain>(users.Users[row].Id).Recommend(k))); }
                catch (Exception e) { Failures.Add(e); }
            }
        }))];

    /// <param name="users">The artifact whose users are asked for (every version published meanwhile must know them).</param>
    public static RecommendationLoad Start(IGrainFactory grains, ModelArtifact users, int k, int callers = 8) => new(grains, users, k, callers);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
        _stop.Dispose();
    }
}
