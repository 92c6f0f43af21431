using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>Every rating since training, durable, for <c>export-ratings</c> and so for the next training run.</summary>
public sealed class RatingLogGrain(
    [PersistentState("ratinglog", ModelStorage.ProviderName)] IPersistentState<RatingLogState> state) : Grain, IRatingLogGrain
{
    public async Task Append(Rating rating)
    {
        state.State = state.State with { Ratings = state.State.Ratings.Add(rating) };
        await state.WriteStateAsync();
    }

    public Task<Rating[]> All() => Task.FromResult(state.State.Ratings.ToArray());
}
