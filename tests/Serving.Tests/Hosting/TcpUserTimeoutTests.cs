using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using MovieRecommender.Cluster;
using Orleans.Configuration;
using Orleans.Hosting;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>
/// <c>Cluster:TcpUserTimeout</c> reaches the kernel on Orleans' own connections: the socket is read from a field of
/// Orleans' connection class, so an Orleans upgrade that renames it fails here before a partition finds out.
/// </summary>
public sealed class TcpUserTimeoutTests
{
    [Fact]
    public async Task ASiloAndItsClientGiveTheirOrleansConnectionsTheTimeout()
    {
        var timeout = TimeSpan.FromMilliseconds(4321);
        var seen = new ConcurrentBag<(string Side, bool Applied, string Why, int KernelMs)>();
        Func<ConnectionDelegate, ConnectionDelegate> Probe(string side) => next => context =>
        {
            var applied = TcpUserTimeout.TryApply(context, timeout, out var why);
            seen.Add((side, applied, why, TcpUserTimeout.SocketOf(context) is { } socket ? TcpUserTimeout.Read(socket) : -1));
            return next(context);
        };
        var (siloPort, gatewayPort) = Ports.FreePair();
        using var silo = Host.CreateDefaultBuilder()
            .UseOrleans(s => s.UseLocalhostClustering(siloPort, gatewayPort)
                .Configure<SiloConnectionOptions>(o => o.ConfigureGatewayInboundConnection(b => b.Use(Probe("gateway")))))
            .Build();
        await silo.StartAsync();
        using var client = Host.CreateDefaultBuilder()
            .UseOrleansClient(c => c.UseLocalhostClustering(gatewayPort)
                .Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b => b.Use(Probe("client")))))
            .Build();
        await client.StartAsync();
        try
        {
            // Connected: one connection each way of the gateway link, each given the timeout and holding it.
            Assert.Contains(seen, s => s.Side == "client");
            Assert.Contains(seen, s => s.Side == "gateway");
            Assert.All(seen, s => Assert.True(s.Applied && s.KernelMs == 4321, $"{s.Side}: applied {s.Applied} ({s.Why}), kernel {s.KernelMs} ms"));
        }
        finally
        {
            await client.StopAsync();
            await silo.StopAsync();
        }
    }

    [Fact]
    public void ASocketBehindAFieldNamedAsOrleansNamesItGetsTheOptionAndAnythingElseIsToldWhy()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect((IPEndPoint)listener.LocalEndpoint);

        Assert.True(TcpUserTimeout.TryApply(new WithSocket(socket), TimeSpan.FromSeconds(7), out _));
        Assert.Equal(7000, TcpUserTimeout.Read(socket));

        Assert.False(TcpUserTimeout.TryApply(new object(), TimeSpan.FromSeconds(7), out var why));
        Assert.Equal("the connection (System.Object) has no socket field this build knows", why);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("02:00:00")]
    public void AnOutOfRangeTimeoutIsRefusedNamingTheKey(string value)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RecommenderClusterOptions.From(ClusterSettings.Configuration(("Cluster:TcpUserTimeout", value))));
        Assert.StartsWith($"Cluster:TcpUserTimeout is {TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)}: expected 0", error.Message);
    }

    private sealed class WithSocket(Socket socket)
    {
        // Named as Orleans names the field of its socket connection.
#pragma warning disable IDE0052, CA1823
        private readonly Socket _socket = socket;
#pragma warning restore IDE0052, CA1823
    }
}
