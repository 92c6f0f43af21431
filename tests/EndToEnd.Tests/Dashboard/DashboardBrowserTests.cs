using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.Operations.Publishing;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace MovieRecommender.EndToEnd.Tests.Dashboard;

/// <summary>
/// The whole path an operator takes, in a real browser: the dashboard (scripts/dashboard.sh), a real silo process and
/// the real console client exporting OTLP to it with the key, then Debian's chromium, driven headless with
/// PuppeteerSharp, logs in with the token, opens the trace of 'recommend 42' (the console's span, the silo's, one
/// shard.search per shard) and the silo's recommendation latency chart, and saves screenshots (see Screenshot).
/// The UI renders over a WebSocket (Blazor) after the page loads, so the test waits for what it looks for.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const int Shards = 3;
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan TelemetryWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheDashboardShowsTheRecommendationTraceWithOneShardSearchPerShardAndTheLatencyInstrument()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/test.sh installs Debian's chromium (apt-get install chromium)");
        await using var dashboard = await DashboardProcess.StartAsync();
        using var temp = new TempFolder();
        var otel = dashboard.OtelEnvironment();

        // A real silo exporting to the dashboard, a small artifact published into it (user ids 1..60, so 42 is known).
        var artifact = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 60, items: 300, dim: 16, seed: 4242, userIdBase: 0));
        var (siloPort, gatewayPort) = (Ports.Free(), Ports.Free());
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), siloPort, gatewayPort,
            environment: otel.ToDictionary(p => p.Key, p => (string?)p.Value), withoutInheritedOtel: true, readyTimeout: TimeSpan.FromSeconds(90));
        await using (var cluster = await ClusterConnection.ConnectAsync(gatewayPortOverride: gatewayPort))
            await new ArtifactPublisher(cluster.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = Shards, UserShards = 2 });

        // Ten seconds of steady load first (its requests not traced), so the latency chart shows a curve, not one point.
        var load = await RunClientAsync(["load", "--rps", "20", "--duration", "10", "--users", "1-60", "--trace-share", "0", "--quiet"],
            new Dictionary<string, string>(otel) { ["Cluster__GatewayPort"] = $"{gatewayPort}" });
        Assert.True(load.ExitCode == 0, $"client load failed ({load.ExitCode}):\n{load.Output}");
        // The real console client, as an operator runs it.
        var client = await RunClientAsync(["recommend", "42"], new Dictionary<string, string>(otel) { ["Cluster__GatewayPort"] = $"{gatewayPort}" });
        output.WriteLine(client.Output);
        Assert.True(client.ExitCode == 0, $"client recommend 42 failed ({client.ExitCode}):\n{client.Output}");

        using var profile = new TempFolder();
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 90_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.Path}",
            ],
        });
        await using var page = await browser.NewPageAsync();
        page.DefaultTimeout = 60_000;
        await page.SetViewportAsync(new ViewPortOptions { Width = 1600, Height = 1000 });
        try
        {
            // Without the token the app is not shown: the browser lands on the login page.
            await page.GoToAsync($"{dashboard.UiUrl}/traces");
            Assert.Contains("/login", page.Url, StringComparison.Ordinal);
            Assert.DoesNotContain("console.recommend", await BodyText(page), StringComparison.Ordinal);

            // The login link sets the cookie and leaves the login page.
            await page.GoToAsync(dashboard.LoginUrl);
            Assert.DoesNotContain("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

            // The traces page lists the recommendation's trace (its root is the console's span); open it.
            const string traceCell = "td[role=gridcell][aria-label^='Name: movie-recommender-client: console.recommend']";
            await WaitForAsync(page, $"{dashboard.UiUrl}/traces", $"document.querySelector(\"{traceCell}\") !== null", "a trace with console.recommend",
                async () =>
                {
                    // The page's name filter, so the trace is listed (the grid is virtualized) whatever else arrived.
                    var search = await page.WaitForSelectorAsync("fluent-text-input[name=\"traces-search\"]");
                    await search.ClickAsync();
                    await page.Keyboard.TypeAsync("console.recommend");
                });
            // The row's label carries the full trace id ("Name: ...\nTrace Id: <32 hex>"): open that trace's page.
            var label = await page.EvaluateExpressionAsync<string>($"document.querySelector(\"{traceCell}\").getAttribute('aria-label')");
            var traceId = System.Text.RegularExpressions.Regex.Match(label, "Trace Id: ([0-9a-f]{32})").Groups[1].Value;
            Assert.Matches("^[0-9a-f]{32}$", traceId);
            var traceUrl = $"{dashboard.UiUrl}/traces/detail/{traceId}";
            // Every span of the trace: the silo's arrive on their own schedule, so reload until all shards are there.
            await WaitForAsync(page, traceUrl, $"{CountSpans("shard.search")} >= {Shards}", $"{Shards} shard.search spans");
            var text = await BodyText(page);
            output.WriteLine(text);
            // The trace's title is its root span: the console's (the resource carries an instance suffix when the client ran twice).
            Assert.Matches(@"movie-recommender-client(-[0-9a-f]+)?: console\.recommend", text);
            Assert.Equal(1, await page.EvaluateExpressionAsync<int>(CountSpans("console.recommend")));
            Assert.True(await page.EvaluateExpressionAsync<int>(CountSpans("recommend")) >= 1, "no span named recommend");
            Assert.Equal(Shards, await page.EvaluateExpressionAsync<int>(CountSpans("shard.search")));
            Assert.Contains("movie-recommender-silo", text, StringComparison.Ordinal);
            await Screenshot(page, "trace.png");

            // The silo's metrics: the recommendation latency histogram, opened as a chart.
            const string instrument = "fluent-tree-item[title=\"recommender.recommend.duration\"]";
            await WaitForAsync(page, $"{dashboard.UiUrl}/metrics/resource/movie-recommender-silo",
                $"document.querySelector('{instrument.Replace("\"", "\\\"", StringComparison.Ordinal)}') !== null", "the instrument recommender.recommend.duration");
            await page.ClickAsync(instrument);
            await page.WaitForFunctionAsync("() => location.search.includes('instrument=recommender.recommend.duration')");
            // The last minute rather than the default five, so the load's ten seconds fill the chart.
            if (page.Url.Contains("duration=5", StringComparison.Ordinal)) await page.GoToAsync(page.Url.Replace("duration=5", "duration=1", StringComparison.Ordinal));
            await page.WaitForFunctionAsync("() => document.body.innerText.includes('P50')");
            await Task.Delay(1000); // the chart's drawing animation
            text = await BodyText(page);
            Assert.Contains("recommender.recommend.duration", text, StringComparison.Ordinal);
            Assert.Contains("movie-recommender-silo", await page.EvaluateExpressionAsync<string>("document.body.innerHTML"), StringComparison.Ordinal);
            await Screenshot(page, "metrics.png");
        }
        catch
        {
            var failure = Path.Combine(ScreenshotFolder(), "failure.png");
            await page.ScreenshotAsync(failure);
            output.WriteLine($"failed on {page.Url}; screenshot {failure}; page text:\n{await BodyText(page)}");
            output.WriteLine($"silo output:\n{silo.Program.Output}");
            throw;
        }
        finally
        {
            await silo.Program.StopAsync(throwOnTimeout: false);
        }
    }

    /// <summary>The real console client run to its end, exporting only where <paramref name="environment"/> says.</summary>
    private static async Task<ChildResult> RunClientAsync(IReadOnlyList<string> arguments, Dictionary<string, string> environment)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll("Client"), .. arguments],
            Directory.GetCurrentDirectory(), environment, timeout.Token, withoutInheritedOtel: true);
    }

    /// <summary>How many rows of the trace grid are spans with exactly this name.</summary>
    private static string CountSpans(string name) =>
        $"document.body.innerText.split('\\n').filter(l => l.trim() === '{name}').length";

    private static Task<string> BodyText(IPage page) => page.EvaluateExpressionAsync<string>("document.body.innerText");

    /// <summary>Opens a page and waits until a condition holds, reloading it every few seconds, up to a limit.</summary>
    private static async Task WaitForAsync(IPage page, string url, string condition, string what, Func<Task>? afterLoad = null)
    {
        var deadline = DateTime.UtcNow + TelemetryWait;
        while (true)
        {
            await page.GoToAsync(url, new NavigationOptions { WaitUntil = [WaitUntilNavigation.DOMContentLoaded] });
            if (afterLoad is not null) await afterLoad();
            try
            {
                await page.WaitForFunctionAsync($"() => {condition}", new WaitForFunctionOptions { Timeout = 5_000 });
                return;
            }
            catch (WaitTaskTimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (WaitTaskTimeoutException e)
            {
                throw new TimeoutException($"{url} did not show {what} in {TelemetryWait.TotalSeconds:0} s", e);
            }
        }
    }

    /// <summary>
    /// Saves to the test output; with UPDATE_DOCS_SCREENSHOTS=1 also to docs/dashboard/ (the README's pictures),
    /// so an ordinary test run leaves the working tree as it was.
    /// </summary>
    private async Task Screenshot(IPage page, string name)
    {
        var local = Path.Combine(ScreenshotFolder(), name);
        await page.ScreenshotAsync(local);
        output.WriteLine($"screenshot: {local}");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOTS") != "1") return;
        var docs = Path.Combine(RepositoryRoot.Path, "docs", "dashboard");
        Directory.CreateDirectory(docs);
        File.Copy(local, Path.Combine(docs, name), overwrite: true);
        output.WriteLine($"screenshot copied to docs/dashboard/{name}");
    }

    private static string ScreenshotFolder() =>
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots")).FullName;
}
