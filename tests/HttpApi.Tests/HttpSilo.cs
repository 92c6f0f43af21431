using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Artifacts;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.HttpApi.Tests;

/// <summary>
/// A silo built exactly as the Silo program builds it (<see cref="MovieRecommender.Silo.Program.Build"/>), started in this
/// process on free loopback ports with its own model store, and an <see cref="HttpClient"/> talking to its Kestrel
/// over a real socket.
/// </summary>
public sealed class HttpSilo : IAsyncDisposable
{
    public const string OperatorKey = "operator-key-0123456789";
    public const string ClientKey = "client-key-0123456789ab";

    private readonly TempFolder? _store;

    private HttpSilo(WebApplication app, int port, TempFolder? store)
    {
        _store = store;
        App = app;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>The folder of the model store.</summary>
    public string StorePath => App.Configuration["Storage:Root"]!;

    public IClusterClient Grains => App.Services.GetRequiredService<IClusterClient>();

    /// <param name="settings">More settings, as on the silo's command line: "--Http:RateLimit:PermitsPerSecond=2".</param>
    public static Task<HttpSilo> StartAsync(params string[] settings) => StartAsync(new TempFolder(), null, settings);

    /// <param name="configure">What the test adds to the host before it is built, e.g. exporters of its own.</param>
    public static Task<HttpSilo> StartAsync(Action<WebApplicationBuilder> configure, params string[] settings) =>
        StartAsync(new TempFolder(), null, settings, configure);

    /// <summary>A silo on the model store at <paramref name="storePath"/>, which it leaves in place (a restart).</summary>
    public static Task<HttpSilo> StartOnStoreAsync(string storePath, params string[] settings) => StartAsync(null, storePath, settings);

    private static async Task<HttpSilo> StartAsync(TempFolder? owned, string? storePath, string[] settings, Action<WebApplicationBuilder>? configure = null)
    {
        var (siloPort, gatewayPort) = Ports.FreePair();
        var httpPort = Ports.Free();
        var app = MovieRecommender.Silo.Program.Build(
        [
            $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Storage:Root={owned?.Path ?? storePath}",
            $"--Http:Port={httpPort}", $"--Http:OperatorKey={OperatorKey}", $"--Http:ClientKeys:0={ClientKey}",
            .. settings,
        ], configure);
        await app.StartAsync();
        return new HttpSilo(app, httpPort, owned);
    }

    public Task<ModelVersionInfoAndArtifact> PublishAsync(TempFolder folder, int users, int items, int dim, int seed, int shards = 3) =>
        PublishAsync(ModelArtifact.Load(TestArtifacts.Write(folder.Path, users, items, dim, seed)), shards);

    public async Task<ModelVersionInfoAndArtifact> PublishAsync(ModelArtifact artifact, int shards = 3)
    {
        var info = await new ArtifactPublisher(Grains).PublishAsync(artifact, new PublishOptions { CandidateShards = shards, UserShards = 2, ChunkBytes = 4096 });
        return new ModelVersionInfoAndArtifact(info.Version, artifact);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _store?.Dispose();
    }
}

/// <summary>A published version and the artifact it came from (the ground truth of its answers).</summary>
public sealed record ModelVersionInfoAndArtifact(string Version, ModelArtifact Artifact);
