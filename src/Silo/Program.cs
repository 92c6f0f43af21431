using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovieRecommender.Silo;
using Orleans.Hosting;

// The embedded default: one silo, localhost clustering, everything in this process.
// Ports and the store come from configuration (Cluster:SiloPort, Cluster:GatewayPort, Storage:Root;
// e.g. env Cluster__GatewayPort=30001).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

var siloPort = builder.Configuration.GetValue("Cluster:SiloPort", 11111);
var gatewayPort = builder.Configuration.GetValue("Cluster:GatewayPort", 30000);
// What must survive a restart (the registry, every kept version's partitions) lives here.
var storeRoot = Path.GetFullPath(builder.Configuration.GetValue("Storage:Root", "store")!);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort)
    .AddRecommenderServing(storeRoot));
builder.AddRecommenderTelemetry();

using var host = builder.Build();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
    Console.WriteLine($"Silo ready: gateway localhost:{gatewayPort}, silo port {siloPort}, model store {storeRoot}. Ctrl+C or SIGTERM stops it."));
await host.RunAsync();
