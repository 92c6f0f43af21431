using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains.Ratings;

/// <summary>One sealed segment of a user log partition; goes once idle, as it is read only on activation, by exports and by erasures.</summary>
public sealed class RatingLogSegmentGrain(
    [PersistentState("segment", ModelStorage.UserLogProviderName)] IPersistentState<RatingLogSegmentState> state) : Grain, IRatingLogSegmentGrain
{
    public async Task Store(UserLogEntry[] entries)
    {
        state.State = new RatingLogSegmentState { Entries = entries };
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    public Task<UserLogEntry[]> Read()
    {
        DeactivateOnIdle();
        return Task.FromResult(state.State.Entries);
    }
}
