using System.Globalization;

namespace MovieRecommender.Testing;

/// <summary>
/// The real silo program (src/Silo's build) in a child process, on its own ports, with its own model store and any more
/// settings and environment: ready once it prints "Silo ready"; killed (with its children) on dispose.
/// </summary>
public sealed class SiloProcess : IDisposable, IAsyncDisposable
{
    public const string ReadyLine = "Silo ready";

    private SiloProcess(ChildProgram program, int siloPort, int gatewayPort, int httpPort, string store)
    {
        Program = program;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        Store = store;
    }

    /// <summary>The process: its output, warnings, CPU and memory, stop and kill.</summary>
    public ChildProgram Program { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The HTTP API's port: a free one unless the settings give <c>--Http:Port</c>, so silos never contend for 8080.</summary>
    public int HttpPort { get; }

    /// <summary>The HTTP API's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    public string Store { get; }

    public int ProcessId => Program.ProcessId;

    public bool HasExited => Program.HasExited;

    /// <summary>Starts the silo on the given ports (free ones when 0) with the model store <paramref name="store"/>.</summary>
    /// <param name="settings">More configuration on the command line, e.g. "--Cluster:Mode=redis".</param>
    /// <param name="environment">Extra variables; a null value removes the variable from the silo's environment.</param>
    /// <param name="siloDll">The silo's build; by default the one of this program's configuration.</param>
    /// <param name="name">For messages; by default "the silo".</param>
    /// <param name="withoutInheritedOtel">Drop this process's OTEL_* variables, so the silo exports only where told.</param>
    public static async Task<SiloProcess> StartAsync(string store, int siloPort = 0, int gatewayPort = 0, IEnumerable<string>? settings = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? siloDll = null, string? name = null, TimeSpan? readyTimeout = null,
        bool withoutInheritedOtel = false, CancellationToken ct = default)
    {
        if (siloPort == 0 && gatewayPort == 0) (siloPort, gatewayPort) = Ports.FreePair();
        else if (siloPort == 0 || gatewayPort == 0) throw new ArgumentException("give both ports or neither");
        Directory.CreateDirectory(store);
        var given = settings?.LastOrDefault(s => s.StartsWith("--Http:Port=", StringComparison.Ordinal));
        var httpPort = given is null ? Ports.Free() : int.Parse(given["--Http:Port=".Length..], CultureInfo.InvariantCulture);
        var start = ChildStart.Dotnet(siloDll ?? RepositoryRoot.ProgramDll("Silo"),
        [
            $"--Cluster:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Cluster:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Storage:Root={store}",
            $"--Http:Port={httpPort.ToString(CultureInfo.InvariantCulture)}",
            .. settings ?? [],
        ]) with
        {
            Name = name ?? "the silo",
            Environment = environment ?? new Dictionary<string, string?>(),
            ReadyLine = ReadyLine,
            ReadyTimeout = readyTimeout ?? TimeSpan.FromSeconds(60),
            WithoutInheritedOtel = withoutInheritedOtel,
        };
        return new SiloProcess(await ChildProgram.StartAsync(start, ct), siloPort, gatewayPort, httpPort, store);
    }

    /// <summary>
    /// Runs a program of src/ ("Client", "Trainer") as a user does, against this silo's gateway, without this process's
    /// OTEL_* variables; returns its exit code and output (the caller asserts on them).
    /// </summary>
    public async Task<ChildResult> RunProgramAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll(program), .. arguments], RepositoryRoot.Path,
            [new("Cluster__Mode", "localhost"), new("Cluster__GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture))],
            cancel.Token, withoutInheritedOtel: true);
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public Task KillAsync() => Program.KillAsync();

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public Task StopAsync() => Program.StopAsync();

    public void Dispose() => Program.Dispose();

    public ValueTask DisposeAsync() => Program.DisposeAsync();
}
