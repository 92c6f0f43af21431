using Microsoft.Extensions.Logging;

namespace MovieRecommender.Grains.Registry;

/// <summary>
/// This silo's view of the active model, a singleton of the silo's services: what user grains read on every
/// request, with no grain call. The registry tells it of every change before the change's call returns
/// (<see cref="ActiveModelNotifications"/>); <see cref="ActiveModelRefresher"/> reads the registry at start-up and
/// periodically, for whatever it missed. Of all it hears it keeps the highest generation, so a slow read
/// can never undo a newer notification; a new epoch (the registry's state begun again) is taken whatever its generation.
/// </summary>
public sealed class ActiveModelView(IGrainFactory grains, ILogger<ActiveModelView> logger)
{
    private RegistrySnapshot? _known;

    /// <summary>The active model as this silo last heard, or null: nothing heard yet, or nothing published.</summary>
    public ActiveModel? Active => Volatile.Read(ref _known)?.Active;

    /// <summary>The generation of what this silo last heard (-1: nothing yet).</summary>
    public long Generation => Volatile.Read(ref _known)?.Generation ?? -1;

    /// <summary>Takes <paramref name="snapshot"/> when it is newer than what this silo knows; says whether it did.</summary>
    public bool Offer(RegistrySnapshot snapshot, string from)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        while (true)
        {
            var known = Volatile.Read(ref _known);
            if (known is not null && known.Epoch == snapshot.Epoch && known.Generation >= snapshot.Generation) return false;
            if (Interlocked.CompareExchange(ref _known, snapshot, known) != known) continue;
            if (known?.Active?.Info.Version != snapshot.Active?.Info.Version)
                logger.LogInformation("This silo now serves version {Version} (registry generation {Generation}, from the {Source})",
                    snapshot.Active?.Info.Version ?? "(none)", snapshot.Generation, from);
            return true;
        }
    }

    /// <summary>
    /// The one way the silo reads the active model (user and movie grains, the HTTP API's genre check and readiness):
    /// this view, with no grain call; the registry only while the view is empty (the silo has just started, or
    /// nothing is published). Null: nothing is published.
    /// </summary>
    public async ValueTask<ActiveModel?> CurrentAsync() => Active ?? await RefreshAsync();

    /// <summary>Reads the registry (one grain call) and takes what it says; returns the active model after that.</summary>
    public async Task<ActiveModel?> RefreshAsync()
    {
        var snapshot = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetSnapshot();
        Offer(snapshot, "registry");
        return Active;
    }
}
