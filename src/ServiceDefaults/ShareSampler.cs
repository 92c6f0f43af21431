using OpenTelemetry.Trace;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// Keeps every root trace unless the root span asks for a share of them through the initial tag
/// <see cref="TelemetryNames.TraceShareTag"/>; then it keeps that share, decided by the trace id (as
/// <see cref="TraceIdRatioBasedSampler"/> does), so every process of the trace decides alike. Used under
/// <see cref="ParentBasedSampler"/>: spans with a parent follow the parent's decision.
/// </summary>
public sealed class ShareSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        if (parameters.Tags is null) return Keep;
        foreach (var tag in parameters.Tags)
        {
            if (tag.Key != TelemetryNames.TraceShareTag || tag.Value is not double share) continue;
            if (share >= 1) return Keep;
            if (share <= 0) return Drop;
            // The trace id's first 8 bytes as a number in [0, 2^63): below share x 2^63 is kept.
            Span<byte> id = stackalloc byte[16];
            parameters.TraceId.CopyTo(id);
            var value = BitConverter.ToInt64(id[..8]) & long.MaxValue;
            return value < (long)(share * long.MaxValue) ? Keep : Drop;
        }
        return Keep;
    }
}
