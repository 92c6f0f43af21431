using MovieRecommender.Grains.Catalogue;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>One sealed segment of a live catalogue partition's log; goes once read, as it is read only on activation.</summary>
public sealed class LiveCatalogueSegmentGrain(
    [PersistentState("segment", ModelStorage.ProviderName)] IPersistentState<LiveCatalogueSegmentState> state) : Grain, ILiveCatalogueSegmentGrain
{
    public async Task Store(LiveMovie[] changes)
    {
        state.State = new LiveCatalogueSegmentState { Changes = changes };
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    public Task<LiveMovie[]> Read()
    {
        DeactivateOnIdle();
        return Task.FromResult(state.State.Changes);
    }
}
