using MovieRecommender.Grains;
using MovieRecommender.Grains.Registry;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>
/// What a test sees of, and does to, the registry's traffic, through <see cref="RegistryProbeFilter"/> in every
/// silo: counts the reads of the registry, and loses or holds the notifications to chosen silos.
/// </summary>
public sealed class RegistryProbe
{
    private int _reads;
    private int _lost;
    private volatile SiloAddress[] _deaf = [];
    private volatile Held? _held;

    /// <summary>Calls of <see cref="IModelRegistryGrain.GetActive"/> and <see cref="IModelRegistryGrain.GetSnapshot"/>, from anywhere.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Notifications lost on their way to a deaf silo.</summary>
    public int Lost => Volatile.Read(ref _lost);

    /// <summary>From now on these silos never get a notification, though the registry believes they did.</summary>
    public void MakeDeaf(params SiloAddress[] silos) => _deaf = silos;

    /// <summary>From now on notifications to <paramref name="silo"/> wait until the returned gate opens, as a hung silo's would.</summary>
    public TaskCompletionSource Hold(SiloAddress silo)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = new Held(silo, gate.Task);
        return gate;
    }

    public void Release() => _held = null;

    internal void CountRead() => Interlocked.Increment(ref _reads);

    internal bool LoseOn(SiloAddress silo)
    {
        if (!_deaf.Contains(silo)) return false;
        Interlocked.Increment(ref _lost);
        return true;
    }

    internal Task GateOf(SiloAddress silo) => _held is { } held && held.Silo.Equals(silo) ? held.Gate : Task.CompletedTask;

    private sealed record Held(SiloAddress Silo, Task Gate);
}

/// <summary>An incoming call filter in each silo, reporting to the test's <see cref="RegistryProbe"/>.</summary>
public sealed class RegistryProbeFilter(RegistryProbe probe, ILocalSiloDetails silo) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var called = context.Request.GetInterfaceType();
        if (called == typeof(IModelRegistryGrain) && context.MethodName is nameof(IModelRegistryGrain.GetActive) or nameof(IModelRegistryGrain.GetSnapshot))
            probe.CountRead();
        if (called == typeof(IActiveModelNotifications))
        {
            // Lost: answered without reaching the silo's view.
            if (probe.LoseOn(silo.SiloAddress)) return;
            await probe.GateOf(silo.SiloAddress);
        }
        await context.Invoke();
    }
}
