using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>Every rating since training, durable, for <c>export-ratings</c> and so for the next training run.</summary>
public sealed class RatingLogGrain(
    [PersistentState("ratinglog", ModelStorage.ProviderName)] IPersistentState<RatingLogState> state) : Grain, IRatingLogGrain
{
    public Task Append(Rating rating) =>
        StoreFailure.WriteOrRestoreAsync(state, state.State with { Ratings = state.State.Ratings.Add(rating) }, error =>
            $"The rating of movie '{rating.MovieId}' by user {rating.UserId} was not added to the rating log: the store failed ({error}).");

    public Task<Rating[]> All() => Task.FromResult(state.State.Ratings.ToArray());
}
