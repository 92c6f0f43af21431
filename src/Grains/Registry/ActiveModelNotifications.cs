using Microsoft.Extensions.Logging;

namespace MovieRecommender.Grains.Registry;

/// <summary>This silo's end of the registry's notifications: hands each one to the silo's <see cref="ActiveModelView"/>.</summary>
public sealed class ActiveModelNotifications(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, ActiveModelView view)
    : GrainService(grainId, silo, loggerFactory), IActiveModelNotifications
{
    public Task Changed(RegistrySnapshot snapshot)
    {
        view.Offer(snapshot, "registry's notification");
        return Task.CompletedTask;
    }
}
