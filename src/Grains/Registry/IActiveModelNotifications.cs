using Orleans.CodeGeneration;
using Orleans.Services;

namespace MovieRecommender.Grains.Registry;

/// <summary>
/// One per silo (a grain service, so the registry can address each silo by its address): where the registry
/// tells a silo that the active model changed.
/// </summary>
[Version(1)]
public interface IActiveModelNotifications : IGrainService
{
    /// <summary>The registry's new say; the silo's <see cref="ActiveModelView"/> takes it unless it knows a newer one.</summary>
    Task Changed(RegistrySnapshot snapshot);
}
