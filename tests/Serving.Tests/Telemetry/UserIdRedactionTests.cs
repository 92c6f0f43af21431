using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MovieRecommender.Serving.Tests.Telemetry;

/// <summary>Issue 24: the keyed hash telemetry shows instead of a user id, and where it is applied.</summary>
public sealed class UserIdRedactionTests
{
    private const string Key = "example-key-0123456789abcdef";

    [Fact]
    public void TheSameKeyAndIdGiveTheSameHashAndAnotherKeyOrIdAnother()
    {
        var ids = UserIdRedaction.WithKey(Key);
        Assert.Equal(ids.Of("42"), UserIdRedaction.WithKey(Key).Of("42"));
        Assert.NotEqual(ids.Of("42"), UserIdRedaction.WithKey(Key + "!").Of("42"));
        Assert.NotEqual(ids.Of("42"), ids.Of("43"));
        Assert.Matches("^u:[0-9a-f]{16}$", ids.Of("42"));
        // docs/telemetry.md computes this one with openssl: HMAC-SHA256 of the id's UTF-8 under the key's, first 16 hex digits.
        Assert.Equal("u:b14d77e335f81db7", ids.Of("42"));
    }

    [Fact]
    public void WithoutAKeyEveryInstanceOfTheProcessSharesOneRandomKey()
    {
        var a = UserIdRedaction.From(new TelemetryOptions());
        var b = UserIdRedaction.From(Read());
        Assert.False(a.Raw);
        Assert.Equal(a.Of("42"), b.Of("42"));
        Assert.NotEqual(UserIdRedaction.WithKey(Key).Of("42"), a.Of("42"));
    }

    [Fact]
    public void RawUserIdsLeaveIdsPathsAndGrainIdsAsTheyAre()
    {
        var raw = UserIdRedaction.From(Read(("Telemetry:RawUserIds", "true"), ("Telemetry:UserIdKey", Key)));
        Assert.True(raw.Raw);
        Assert.Equal("42", raw.Of("42"));
        Assert.Equal("GET /v1/users/42/recommendations", raw.InText("GET /v1/users/42/recommendations"));
        Assert.Equal("user/42", raw.InText("user/42"));
    }

    [Fact]
    public void TextHasItsUserGrainIdsAndUserPathsHashedOnceAndNothingElse()
    {
        var ids = UserIdRedaction.WithKey(Key);
        var h = ids.Of("42");
        Assert.Equal($"user/{h}", ids.InText("user/42"));
        Assert.Equal($"/v1/users/{h}/recommendations", ids.InText("/v1/users/42/recommendations"));
        Assert.Equal($"http://127.0.0.1:5000/v1/users/{h}/ratings?k=5", ids.InText("http://127.0.0.1:5000/v1/users/42/ratings?k=5"));
        Assert.Equal($"[Activation: S127.0.0.1:11111:1/user/{h}@a1b2c3]", ids.InText("[Activation: S127.0.0.1:11111:1/user/42@a1b2c3]"));
        Assert.Equal($"Response did not arrive for a call to user/{h}, IUserGrain.Recommend", ids.InText("Response did not arrive for a call to user/42, IUserGrain.Recommend"));
        // Already hashed (a span two providers see), a route template, another grain type: left alone.
        Assert.Equal($"user/{h}", ids.InText($"user/{h}"));
        Assert.Equal("/v1/users/{id}/recommendations", ids.InText("/v1/users/{id}/recommendations"));
        Assert.Equal("usershard/v1-3", ids.InText("usershard/v1-3"));
        Assert.Equal("movie/42", ids.InText("movie/42"));
    }

    [Fact]
    public void TheSpanProcessorHashesTheUserTagGrainIdsPathsAndTheNameOnce()
    {
        var ids = UserIdRedaction.WithKey(Key);
        var h = ids.Of("42");
        using var span = new Activity("GET /v1/users/42/recommendations");
        span.SetTag(TelemetryNames.UserTag, "42").SetTag("rpc.orleans.target_id", "user/42").SetTag("url.path", "/v1/users/42/recommendations")
            .SetTag("http.route", "/v1/users/{id}/recommendations").SetTag("recommender.k", 5).SetTag("rpc.orleans.source_id", "sys.client/hosted-1");
        var processor = new UserIdRedactionProcessor(ids);
        processor.OnEnd(span);
        processor.OnEnd(span);

        Assert.Equal(h, span.GetTagItem(TelemetryNames.UserTag));
        Assert.Equal($"user/{h}", span.GetTagItem("rpc.orleans.target_id"));
        Assert.Equal($"/v1/users/{h}/recommendations", span.GetTagItem("url.path"));
        Assert.Equal($"GET /v1/users/{h}/recommendations", span.DisplayName);
        Assert.Equal("/v1/users/{id}/recommendations", span.GetTagItem("http.route"));
        Assert.Equal(5, span.GetTagItem("recommender.k"));
        Assert.Equal("sys.client/hosted-1", span.GetTagItem("rpc.orleans.source_id"));
    }

    [Fact]
    public void TheLogProcessorHashesUserGrainIdsInMessagesAndAttributesObjectsIncluded()
    {
        var ids = UserIdRedaction.WithKey(Key);
        var exported = new List<string>();
        using (var loggers = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.AddProcessor(new UserIdLogRedactionProcessor(ids));
            o.AddProcessor(new CapturingLogProcessor(exported));
        })))
        {
            // As Orleans logs a call that timed out: the grain id as an object, the message naming it.
            loggers.CreateLogger("Orleans.Runtime.Messaging").LogWarning("No response from {Grain} for {Method} after {Seconds} s",
                GrainId.Create(UserIdRedaction.UserGrainType, "42"), "IUserGrain.Recommend", 30);
        }

        var h = ids.Of("42");
        Assert.Equal([$"No response from user/{h} for IUserGrain.Recommend after 30 s", $"Grain=user/{h}", "Method=IUserGrain.Recommend", "Seconds=30"],
            exported.Where(e => !e.StartsWith("{OriginalFormat}", StringComparison.Ordinal)));
    }

    /// <summary>The message and attributes of every log line, as an exporter gets them.</summary>
    private sealed class CapturingLogProcessor(List<string> exported) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            exported.Add(data.FormattedMessage ?? "");
            exported.AddRange((data.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"));
        }
    }

    [Fact]
    public void AShortKeyIsRefusedWithoutBeingRepeated()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Read(("Telemetry:UserIdKey", "short-key")));
        Assert.Contains("Telemetry:UserIdKey has 9 characters", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", e.Message, StringComparison.Ordinal);
    }

    private static TelemetryOptions Read(params (string Key, string Value)[] settings) =>
        TelemetryOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());
}
