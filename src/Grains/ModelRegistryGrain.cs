namespace MovieRecommender.Grains;

/// <summary>
/// Says which version serves. Activation is a single assignment, so a reader sees the old version or the
/// new one, never a mix. Kept alive; durable storage of this pointer is the job of the model-refresh work.
/// </summary>
[KeepAlive]
public sealed class ModelRegistryGrain : Grain, IModelRegistryGrain
{
    private ActiveModel? _active;

    public Task<ActiveModel?> GetActive() => Task.FromResult(_active);

    public Task Activate(ActiveModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _active = model;
        return Task.CompletedTask;
    }
}
