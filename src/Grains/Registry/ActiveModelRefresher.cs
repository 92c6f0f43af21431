using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Registry;

/// <summary>
/// Reads the registry into this silo's <see cref="ActiveModelView"/> as the silo becomes active (waiting at most
/// <see cref="ActiveModelViewOptions.NotificationTimeout"/>, so a silo that joins knows the active version when its
/// start completes), then every <see cref="ActiveModelViewOptions.RefreshPeriod"/>: what heals a missed notification.
/// A failed read is logged and tried again at the next tick; it never stops the silo (while the view is empty, a
/// user grain reads the registry itself).
/// </summary>
public sealed class ActiveModelRefresher(ActiveModelView view, IOptions<ActiveModelViewOptions> options, ILogger<ActiveModelRefresher> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ActiveModelRefresher), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        using (var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startup.CancelAfter(options.Value.NotificationTimeout);
            await RefreshOnceAsync(startup.Token);
        }
        _loop = Task.Run(() => RefreshUntilStoppedAsync(_stop.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task RefreshUntilStoppedAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                await RefreshOnceAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The silo stops.
        }
    }

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await view.RefreshAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            logger.LogWarning("This silo could not read the model registry ({Message}); it keeps version {Version} and tries again in {Period}",
                e.Message, view.Active?.Info.Version ?? "(none)", options.Value.RefreshPeriod);
        }
    }
}
