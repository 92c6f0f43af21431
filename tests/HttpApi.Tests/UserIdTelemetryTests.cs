using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovieRecommender.Artifacts;
using MovieRecommender.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace MovieRecommender.HttpApi.Tests;

/// <summary>
/// Issue 24: what a silo exports of user 42 after two recommendations over HTTP, one failing (nothing is published
/// yet, so the user grain logs an error naming the user) and one answered. ASP.NET Core's request spans are recorded
/// here too (the silo leaves them out), with the URL path OpenTelemetry's ASP.NET Core instrumentation would give
/// them, so that a silo which adds it is covered as well.
/// </summary>
public sealed class UserIdTelemetryTests
{
    private const string User = "42";
    private const string Key = "http-tests-user-id-key-0123456789";

    [Fact]
    public async Task SpansAndLogLinesOfRecommendationsOverHttpCarryTheUsersHashNeverTheId()
    {
        var hash = UserIdRedaction.WithKey(Key).Of(User);
        var seen = await RecommendOverHttpAsync($"--Telemetry:UserIdKey={Key}");

        Assert.All(seen.Recommends, s => Assert.Equal(hash, s.GetTagItem(TelemetryNames.UserTag)));
        Assert.Contains(seen.Trace, s => Tags(s).Any(t => t.Key.EndsWith("target_id", StringComparison.Ordinal) && t.Value == $"user/{hash}"));
        Assert.Contains(seen.Trace, s => Tags(s).Any(t => t.Key == "url.path" && t.Value == $"/v1/users/{hash}/recommendations"));
        var failed = Assert.Single(seen.Logs, l => l.Category == "MovieRecommender.Grains.UserGrain" && l.Level == LogLevel.Error);
        Assert.Contains(new KeyValuePair<string, string?>("User", hash), failed.Attributes);
        Assert.Contains($"for user {hash} ", failed.Message, StringComparison.Ordinal);

        // Every span and log line this silo exported, the request's log scopes included.
        Assert.All(seen.Spans, s => Assert.DoesNotContain(s.DisplayName, RawForms));
        Assert.All(seen.Spans.SelectMany(Tags), t => Assert.False(NamesTheUser(t), $"span tag {t.Key}={t.Value}"));
        Assert.All(seen.Logs.SelectMany(l => l.Attributes.Concat(l.Scopes).Append(new("message", l.Message))),
            a => Assert.False(NamesTheUser(a), $"log attribute {a.Key}={a.Value}"));
        Assert.Contains(seen.Logs, l => l.Category == RequestProbe.Category);
    }

    [Fact]
    public async Task WithRawUserIdsTheIdIsBackInSpansAndLogLines()
    {
        var seen = await RecommendOverHttpAsync($"--Telemetry:UserIdKey={Key}", "--Telemetry:RawUserIds=true");

        Assert.All(seen.Recommends, s => Assert.Equal(User, s.GetTagItem(TelemetryNames.UserTag)));
        Assert.Contains(seen.Trace, s => Tags(s).Any(t => t.Key.EndsWith("target_id", StringComparison.Ordinal) && t.Value == $"user/{User}"));
        Assert.Contains(seen.Trace, s => Tags(s).Any(t => t.Key == "url.path" && t.Value == $"/v1/users/{User}/recommendations"));
        var failed = Assert.Single(seen.Logs, l => l.Category == "MovieRecommender.Grains.UserGrain" && l.Level == LogLevel.Error);
        Assert.Contains(new KeyValuePair<string, string?>("User", User), failed.Attributes);
        // ASP.NET Core's request scope is back too, with the path: what the redacting silo does without.
        Assert.Contains(seen.Logs.Where(l => l.Category == RequestProbe.Category).SelectMany(l => l.Scopes), NamesTheUser);
    }

    private static readonly string[] RawForms = [$"/users/{User}/", $"user/{User}"];

    private static bool NamesTheUser(KeyValuePair<string, string?> tag) =>
        tag.Value is { } v && (RawForms.Any(raw => v.Contains(raw, StringComparison.Ordinal))
            || v == User && tag.Key is TelemetryNames.UserTag or "User");

    private static IEnumerable<KeyValuePair<string, string?>> Tags(Activity span) =>
        span.TagObjects.Select(t => new KeyValuePair<string, string?>(t.Key, t.Value?.ToString()));

    /// <summary>What the silo exported: every span, the spans of the two requests' trace, and every log line.</summary>
    private sealed record Seen(IReadOnlyList<Activity> Spans, IReadOnlyList<Activity> Trace, IReadOnlyList<LogLine> Logs)
    {
        public IEnumerable<Activity> Recommends => Trace.Where(s => s.DisplayName == "recommend");
    }

    private sealed record LogLine(string Category, LogLevel Level, string Message,
        IReadOnlyList<KeyValuePair<string, string?>> Attributes, IReadOnlyList<KeyValuePair<string, string?>> Scopes);

    /// <summary>Asks for user 42's recommendations before and after a version is published, in one trace of the test's.</summary>
    private static async Task<Seen> RecommendOverHttpAsync(params string[] settings)
    {
        var spans = new List<Activity>();
        var logs = new LogCapture();
        await using var silo = await HttpSilo.StartAsync(builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Microsoft.AspNetCore").AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(logs));
            builder.Services.AddSingleton<IStartupFilter, RequestProbe>();
        }, ["--Telemetry:Console=true", .. settings]);

        var trace = ActivityTraceId.CreateRandom();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await AskAsync(silo, trace));
        using var artifacts = new TempFolder();
        await silo.PublishAsync(ModelArtifact.Load(TestArtifacts.Write(artifacts.Path, users: 5, items: 60, dim: 8, seed: 1401, userIdBase: 41)));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(silo, trace));

        // A request's server span ends after its response is sent.
        var tracing = silo.App.Services.GetRequiredService<TracerProvider>();
        for (var waited = 0; Snapshot(spans).Count(s => s.TraceId == trace && s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore") < 2; waited += 50)
        {
            Assert.True(waited < 10_000, "the two requests' server spans did not end");
            tracing.ForceFlush();
            await Task.Delay(50);
        }
        var all = Snapshot(spans);
        return new Seen(all, [.. all.Where(s => s.TraceId == trace)], [.. logs.Lines]);
    }

    private static async Task<HttpStatusCode> AskAsync(HttpSilo silo, ActivityTraceId trace)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/users/{User}/recommendations?k=5");
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await silo.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A copy of what the in-memory exporter collected; it appends without a lock while other silos' spans end.</summary>
    private static List<Activity> Snapshot(List<Activity> list)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return [.. list.ToArray()];
            }
            catch (ArgumentException) when (attempt < 100)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Every log line as the exporters get it: message, attributes and scopes as text.</summary>
    private sealed class LogCapture : BaseProcessor<LogRecord>
    {
        public ConcurrentQueue<LogLine> Lines { get; } = new();

        public override void OnEnd(LogRecord data)
        {
            var scopes = new List<KeyValuePair<string, string?>>();
            data.ForEachScope(static (scope, list) =>
            {
                foreach (var item in scope) list.Add(new(item.Key, item.Value?.ToString()));
            }, scopes);
            Lines.Enqueue(new LogLine(data.CategoryName ?? "", data.LogLevel, data.FormattedMessage ?? "",
                [.. (data.Attributes ?? []).Select(a => new KeyValuePair<string, string?>(a.Key, a.Value?.ToString()))], scopes));
        }
    }

    /// <summary>
    /// A log line written while each request is served, so it carries whatever scopes the request has; and the request
    /// span's <c>url.path</c>, which ASP.NET Core leaves to OpenTelemetry's instrumentation.
    /// </summary>
    private sealed class RequestProbe(ILoggerFactory loggers) : IStartupFilter
    {
        public const string Category = "MovieRecommender.HttpApi.Tests.RequestProbe";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var logger = loggers.CreateLogger(Category);
            app.Use(async (context, proceed) =>
            {
                Activity.Current?.SetTag("url.path", context.Request.Path.Value);
                logger.LogInformation("Serving a {Method} request", context.Request.Method);
                await proceed(context);
            });
            next(app);
        };
    }
}
