using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// Hashes the user ids others write in log lines, before any exporter sees them (<see cref="UserIdRedaction.InText"/>):
/// Orleans' messages and attributes that name a user grain (<c>user/42</c>, e.g. a call that timed out). The
/// product's own lines pass the hash already (<c>{User}</c>); an exception's own message is exported as it is.
/// </summary>
public sealed class UserIdLogRedactionProcessor(UserIdRedaction ids) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.FormattedMessage is { } message) data.FormattedMessage = ids.InText(message);
        if (data.Attributes is not { Count: > 0 } attributes) return;
        List<KeyValuePair<string, object?>>? redacted = null;
        for (var i = 0; i < attributes.Count; i++)
        {
            var (key, value) = attributes[i];
            // Orleans logs a GrainId or a message as the object; the exporter writes its text.
            var text = value is string or null or IConvertible ? value as string : value.ToString();
            if (text is null) continue;
            var safe = ids.InText(text);
            if (safe == text) continue;
            redacted ??= [.. attributes];
            redacted[i] = new(key, safe);
        }
        if (redacted is not null) data.Attributes = redacted;
    }
}
