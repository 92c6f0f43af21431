using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Services;

namespace MovieRecommender.Grains.Registry;

/// <summary>
/// The registry's side of the notifications: tells every silo that membership lists as active (or joining) of a
/// new say, in parallel, each within <see cref="ActiveModelViewOptions.NotificationTimeout"/>. A silo that does not
/// take it in time is logged and left to its periodic refresh: a dead silo never holds a publish up for long.
/// </summary>
public sealed class ActiveModelBroadcast(
    IServiceProvider services,
    IClusterMembershipService membership,
    IOptions<ActiveModelViewOptions> options,
    ILogger<ActiveModelBroadcast> logger) : GrainServiceClient<IActiveModelNotifications>(services)
{
    /// <summary>Tells every silo; returns how many silos were asked and how many took it.</summary>
    public async Task<(int Silos, int Told)> TellEverySiloAsync(RegistrySnapshot snapshot)
    {
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status is SiloStatus.Active or SiloStatus.Joining)
            .Select(m => m.SiloAddress).ToArray();
        var told = await Task.WhenAll(silos.Select(silo => TellAsync(silo, snapshot)));
        return (silos.Length, told.Count(ok => ok));
    }

    private async Task<bool> TellAsync(SiloAddress silo, RegistrySnapshot snapshot)
    {
        try
        {
            await GetGrainService(silo).Changed(snapshot).WaitAsync(options.Value.NotificationTimeout);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning("Silo {Silo} was not told of version {Version} (registry generation {Generation}): {Message}; it catches up on its next refresh",
                silo, snapshot.Active?.Info.Version ?? "(none)", snapshot.Generation, e.Message);
            return false;
        }
    }
}
