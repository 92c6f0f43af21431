using System.Globalization;

namespace MovieRecommender.AppHost.Tests;

/// <summary>
/// The built deploy/AppHost started as <c>dotnet run --project deploy/AppHost</c> starts it, with what a user would
/// change to run it beside other clusters on this machine: free ports for Redis, the silos and the dashboard, the
/// artifact in a folder of the test's, and a quick model (<c>--no-tune --epochs 5</c>) so the test stays short. Every
/// process it leads to is watched (<see cref="Family"/>).
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public const int Silos = 3;
    public const string StartedLine = "Distributed application started";
    private const string MarkerVariable = "MOVIE_RECOMMENDER_APPHOST_TEST";

    private AppHostProcess(ChildProgram program, ProcessFamily family, IReadOnlyList<Uri> siloHttp, Uri dashboard)
    {
        Program = program;
        Family = family;
        SiloHttp = siloHttp;
        Dashboard = dashboard;
    }

    public ChildProgram Program { get; }

    public ProcessFamily Family { get; }

    /// <summary>Each silo's HTTP API, e.g. http://127.0.0.1:41234/.</summary>
    public IReadOnlyList<Uri> SiloHttp { get; }

    public Uri Dashboard { get; }

    /// <summary>Where the built AppHost is, whether it is there or not.</summary>
    public static string DllPath => Path.Combine(RepositoryRoot.Path, "deploy", "AppHost", "bin", RepositoryRoot.Configuration, "net10.0", "MovieRecommender.AppHost.dll");

    public static async Task<AppHostProcess> StartAsync(string models, string movieLens)
    {
        if (!File.Exists(DllPath)) throw new InvalidOperationException($"{DllPath} is missing: build {RepositoryRoot.SolutionFile} (-c {RepositoryRoot.Configuration}) first");
        static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
        var marker = Guid.NewGuid().ToString("N");
        var (dashboard, otlp, resourceService) = (Ports.Free(), Ports.Free(), Ports.Free());
        var environment = new Dictionary<string, string?>
        {
            [MarkerVariable] = marker,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Text(dashboard)}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{Text(otlp)}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{Text(resourceService)}",
            ["MOVIELENS_DIR"] = movieLens,
            ["LocalCluster__RedisPort"] = Text(Ports.Free()),
            ["LocalCluster__Models"] = models,
            ["LocalCluster__TrainArguments"] = "--no-tune --epochs 5",
        };
        var http = new List<Uri>();
        for (var i = 0; i < Silos; i++)
        {
            var (siloPort, gatewayPort) = Ports.FreePair();
            var httpPort = Ports.Free();
            environment[$"LocalCluster__Silos__{Text(i)}__SiloPort"] = Text(siloPort);
            environment[$"LocalCluster__Silos__{Text(i)}__GatewayPort"] = Text(gatewayPort);
            environment[$"LocalCluster__Silos__{Text(i)}__HttpPort"] = Text(httpPort);
            http.Add(new Uri($"http://127.0.0.1:{Text(httpPort)}/"));
        }
        var start = ChildStart.Dotnet(DllPath, []) with
        {
            Name = "the AppHost",
            // Where 'dotnet run' runs it (the Aspire SDK's RunWorkingDirectory): its appsettings.json is read from there.
            WorkingDirectory = Path.Combine(RepositoryRoot.Path, "deploy", "AppHost"),
            Environment = environment,
            WithoutInheritedOtel = true,
            ReadyLine = StartedLine,
            ReadyTimeout = TimeSpan.FromSeconds(120),
        };
        var program = await ChildProgram.StartAsync(start);
        var family = new ProcessFamily(program.ProcessId, MarkerVariable, marker);
        family.Observe();
        return new AppHostProcess(program, family, http, new Uri($"http://127.0.0.1:{Text(dashboard)}/"));
    }

    /// <summary>Kills whatever is left of the family, then the AppHost itself.</summary>
    public async ValueTask DisposeAsync()
    {
        Family.KillAlive();
        await Program.DisposeAsync();
    }
}
