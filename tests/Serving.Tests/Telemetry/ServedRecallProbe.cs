using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MovieRecommender.Grains.Telemetry;

namespace MovieRecommender.Serving.Tests.Telemetry;

/// <summary>Every <c>recommender.served_recall</c> measurement of one version, as the silos record them.</summary>
public sealed class ServedRecallProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Recall, string Tier)> _values = new();

    public ServedRecallProbe(string version)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RecommenderTelemetry.Name && instrument.Name == "recommender.served_recall")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? seenVersion = null, tier = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "version") seenVersion = tag.Value as string;
                if (tag.Key == "tier") tier = tag.Value as string;
            }
            if (seenVersion == version) _values.Enqueue((value, tier ?? ""));
        });
        _listener.Start();
    }

    public IReadOnlyList<(double Recall, string Tier)> Values => [.. _values];

    /// <summary>Waits until <paramref name="count"/> checks were recorded (they run in the background).</summary>
    public async Task<IReadOnlyList<(double Recall, string Tier)>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_values.Count < count && DateTime.UtcNow < deadline) await Task.Delay(50);
        return Values;
    }

    public void Dispose() => _listener.Dispose();
}
