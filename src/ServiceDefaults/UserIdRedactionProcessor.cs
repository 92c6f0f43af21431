using System.Diagnostics;
using OpenTelemetry;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// Hashes the user ids on a span as it ends, before any exporter sees it (<see cref="UserIdRedaction"/>): the
/// product's <see cref="TelemetryNames.UserTag"/>, Orleans' grain ids of user grains (<c>user/42</c> in
/// <c>rpc.orleans.target_id</c> and <c>rpc.orleans.source_id</c>) and request paths (<c>/v1/users/42/...</c> in
/// ASP.NET Core's <c>url.path</c> and name, should its spans be recorded). Here rather than where each tag is set:
/// most are set by Orleans or ASP.NET Core, and one place cannot miss one of ours either.
/// </summary>
public sealed class UserIdRedactionProcessor(UserIdRedaction ids) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? redacted = null;
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is not string value) continue;
            var safe = tag.Key == TelemetryNames.UserTag ? ids.OfOnce(value) : ids.InText(value);
            if (safe != value) (redacted ??= []).Add(new(tag.Key, safe));
        }
        // Set after the enumeration, which a change would break.
        if (redacted is not null)
            foreach (var (key, value) in redacted) data.SetTag(key, value);
        var name = ids.InText(data.DisplayName);
        if (name != data.DisplayName) data.DisplayName = name;
    }
}
