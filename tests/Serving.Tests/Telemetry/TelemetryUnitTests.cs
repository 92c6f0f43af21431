using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.ServiceDefaults;
using OpenTelemetry.Trace;

namespace MovieRecommender.Serving.Tests.Telemetry;

public sealed class TelemetryUnitTests
{
    private static SamplingDecision Decide(ActivityTraceId trace, double? share)
    {
        var tags = share is { } s ? new[] { new KeyValuePair<string, object?>(TelemetryNames.TraceShareTag, s) } : null;
        return new ShareSampler().ShouldSample(new SamplingParameters(default, trace, "console.recommend", ActivityKind.Client, tags)).Decision;
    }

    [Fact]
    public void ShareSamplerKeepsRootsByDefaultAndTheAskedShareOtherwise()
    {
        var traces = Enumerable.Range(0, 4000).Select(_ => ActivityTraceId.CreateRandom()).ToArray();
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.RecordAndSample, Decide(t, null)));
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.RecordAndSample, Decide(t, 1.0)));
        Assert.All(traces.Take(50), t => Assert.Equal(SamplingDecision.Drop, Decide(t, 0.0)));

        var kept = traces.Count(t => Decide(t, 0.1) == SamplingDecision.RecordAndSample);
        Assert.InRange(kept, 300, 500); // 10 % of 4000, binomial sd ~19
        // Decided by the trace id: the same trace is decided alike every time (and so in every process).
        Assert.All(traces.Take(200), t => Assert.Equal(Decide(t, 0.1), Decide(t, 0.1)));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", true)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", true)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", false)]
    public void ASiloTracesOnlyWhenSomeExporterTakesTraces(string? variable, bool traced)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        if (variable is not null) builder.Configuration[variable] = "http://localhost:4317";
        builder.AddRecommenderTelemetry(TelemetryNames.SiloService, "telemetry-unit-tests");
        using var host = builder.Build();
        Assert.Equal(traced, host.Services.GetService(typeof(TracerProvider)) is not null);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317", true)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://localhost:4317", true)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://localhost:4317", false)]
    [InlineData("Telemetry:PrometheusPort", "9464", true)]
    public void ASiloListensToInstrumentsOnlyWhenSomeExporterTakesMetrics(string? key, string? value, bool listened)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        if (key is not null) builder.Configuration[key] = value;
        builder.AddRecommenderTelemetry(TelemetryNames.SiloService, "telemetry-unit-tests");
        using var host = builder.Build();
        Assert.Equal(listened, host.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)) is not null);
    }

    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData("http://localhost:4317", null, true, true)]
    [InlineData(null, "http://localhost:4318/v1/traces", false, true)]
    [InlineData("  ", null, false, false)]
    public void OtlpExportFollowsTheStandardVariables(string? endpoint, string? tracesEndpoint, bool all, bool traces)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = tracesEndpoint,
        }).Build();
        var otlp = OtlpEndpoints.From(configuration);
        Assert.Equal(all, otlp.All);
        Assert.Equal(all || traces, otlp.Any);
        Assert.Equal(traces, otlp.All || otlp.Traces);
        Assert.False(otlp.Metrics);
        Assert.Equal(all || traces, RecommenderOpenTelemetry.Exports(configuration));
    }

    [Fact]
    public void ServedRecallIsTheShareOfTheExactTopKThatWasServed()
    {
        static ScoredMovie M(int row) => new(row, $"{row}", $"Movie {row}", 1f);
        Assert.Equal(1.0, ServedRecallMonitor.Recall([M(1), M(2), M(3)], [M(3), M(2), M(1)]));
        Assert.Equal(2.0 / 3, ServedRecallMonitor.Recall([M(1), M(2), M(9)], [M(1), M(2), M(3)]), 12);
        Assert.Equal(0.0, ServedRecallMonitor.Recall([M(7)], [M(1)]));
        Assert.Equal(1.0, ServedRecallMonitor.Recall([], []));
    }
}
