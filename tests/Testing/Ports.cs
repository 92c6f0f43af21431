using System.Net;
using System.Net.Sockets;

namespace MovieRecommender.Testing;

public static class Ports
{
    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Two different free ports.</summary>
    public static (int First, int Second) FreePair()
    {
        var first = Free();
        var second = Free();
        while (second == first) second = Free();
        return (first, second);
    }
}
