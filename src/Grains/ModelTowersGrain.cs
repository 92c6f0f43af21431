using MovieRecommender.Grains.Catalogue;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>
/// One version's feature towers and movie placement (<see cref="LoadedTowers"/>): embeds what the version never saw
/// from features alone, for the live catalogue and for new users. Read-only once loaded, so every call interleaves.
/// The pushed movie ids stay in the store only: in memory the placement's compact copy serves (a million ids as strings
/// are about 40 MB, and the candidate shards hold them already).
/// </summary>
[KeepAlive]
public sealed class ModelTowersGrain(
    [PersistentState("towers", ModelStorage.ProviderName)] IPersistentState<ModelTowersState> state) : Grain, IModelTowersGrain
{
    private LoadedTowers? _loaded;

    private LoadedTowers Loaded => _loaded ?? throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Towers is { } towers) KeepLoaded(new LoadedTowers(towers), towers);
        return Task.CompletedTask;
    }

    public async Task Load(ModelTowers towers)
    {
        var loaded = new LoadedTowers(towers);
        state.State = new ModelTowersState { Towers = towers };
        await state.WriteStateAsync();
        KeepLoaded(loaded, towers);
    }

    private void KeepLoaded(LoadedTowers loaded, ModelTowers towers)
    {
        _loaded = loaded;
        state.State = new ModelTowersState { Towers = towers with { MovieIds = [] } };
    }

    public Task<MoviePlacement[]> Place(string[] movieIds) => Task.FromResult(movieIds.Select(Loaded.Place).ToArray());

    // Genres are checked where a put is accepted (the live catalogue partition): a change replayed into a later version
    // whose towers lack one of its genres is embedded without it rather than refused. A sealed row's year 0 means the
    // catalogue had none: the trainer gave it no year feature.
    public Task<float[]> EmbedMovie(MovieDescription description, int row, float[]? current, MovieDescription? before)
    {
        var towers = Loaded.Require();
        return Task.FromResult(current is not null && before is not null
            ? towers.ReembedMovie(row, current, (before.Title, before.Genres, before.Year == 0 ? null : before.Year), (description.Title, description.Genres, description.Year))
            : towers.EmbedNewMovie(description.Title, description.Genres, description.Year));
    }

    public Task<float[]?> EmbedUser(UserDemographics demographics) =>
        Task.FromResult(Loaded.Towers?.EmbedNewUser(demographics.Age, demographics.Gender, demographics.Occupation, demographics.Zip));

    public Task<string[]> Genres() => Task.FromResult(Loaded.Towers?.Genres.ToArray() ?? []);

    public async Task<ModelTowers> Export()
    {
        // Read again for the movie ids that memory does not keep; the rest is as loaded.
        await state.ReadStateAsync();
        var towers = state.State.Towers ?? throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
        state.State = new ModelTowersState { Towers = towers with { MovieIds = [] } };
        return towers;
    }

    public async Task Retire()
    {
        _loaded = null;
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
