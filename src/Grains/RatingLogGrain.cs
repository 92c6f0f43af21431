using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>Every rating since training, durable, for <c>export-ratings</c> and so for the next training run.</summary>
public sealed class RatingLogGrain(
    [PersistentState("ratinglog", ModelStorage.ProviderName)] IPersistentState<RatingLogState> state) : Grain, IRatingLogGrain
{
    public async Task Append(Rating rating)
    {
        var before = state.State;
        state.State = before with { Ratings = before.Ratings.Add(rating) };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State = before;
            throw StoreFailure.Exception($"The rating of movie '{rating.MovieId}' by user {rating.UserId} was not added to the rating log: the store failed ({StoreFailure.Summary(e)}).", e);
        }
    }

    public Task<Rating[]> All() => Task.FromResult(state.State.Ratings.ToArray());
}
