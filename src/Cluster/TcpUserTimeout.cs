using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MovieRecommender.Cluster;

/// <summary>
/// Gives every Orleans TCP connection of a Redis-mode cluster Linux's <c>TCP_USER_TIMEOUT</c>: data that stays
/// unacknowledged that long ends the connection (<c>Cluster:TcpUserTimeout</c>, 5 s by default).
/// </summary>
/// <remarks>
/// Without it a connection whose packets the network drops lives on for the kernel's retransmissions, about 15
/// minutes. That is what a partition between a client and one gateway did (scripts/partition.sh, gateway-client):
/// the client left the gateway within 2 s, but the silo's side of the old connection stayed open, so the silo kept
/// routing its grains' answers to the client into it. A third of the requests failed for the whole cut and for
/// 30 s after the heal. Orleans exposes no socket option for this, and its connection exposes no socket feature:
/// the socket is read from the connection's field (<c>_socket</c>, Orleans' SocketConnection). When a later Orleans
/// renames it, the silo says so once in its log and runs without the timeout (the test
/// <c>TcpUserTimeoutTests</c> fails first).
/// </remarks>
public static class TcpUserTimeout
{
    // Linux <netinet/tcp.h>: IPPROTO_TCP level, option 18, milliseconds.
    private const int TcpUserTimeoutOption = 18;

    private static int _warned;

    /// <summary>The connection middleware that sets the option on the connection's socket, then runs the rest.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan timeout, IServiceProvider services, string what)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(TcpUserTimeout).FullName!);
        return next => context =>
        {
            if (!TryApply(context, timeout, out var why) && Interlocked.Exchange(ref _warned, 1) == 0)
                logger?.LogWarning("Cluster:TcpUserTimeout is not applied to {What} connections: {Why}. A connection the network drops then lives until the kernel gives up (minutes).", what, why);
            return next(context);
        };
    }

    /// <summary>Sets <c>TCP_USER_TIMEOUT</c> on the socket behind <paramref name="connection"/>.</summary>
    /// <returns>false, with the reason, when there is no TCP socket to set it on or the OS refuses it.</returns>
    public static bool TryApply(object connection, TimeSpan timeout, out string why)
    {
        if (!OperatingSystem.IsLinux())
        {
            why = "TCP_USER_TIMEOUT is a Linux socket option";
            return false;
        }
        var socket = SocketOf(connection);
        if (socket is null)
        {
            why = $"the connection ({connection.GetType().FullName}) has no socket field this build knows";
            return false;
        }
        if (socket.ProtocolType != ProtocolType.Tcp)
        {
            why = $"the connection's socket is {socket.ProtocolType}, not TCP";
            return false;
        }
        try
        {
            socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpUserTimeoutOption, BitConverter.GetBytes((int)timeout.TotalMilliseconds));
            why = "";
            return true;
        }
        catch (SocketException e)
        {
            why = e.Message;
            return false;
        }
    }

    /// <summary>The option as the kernel holds it for <paramref name="socket"/> (ms); for tests and diagnostics.</summary>
    public static int Read(Socket socket)
    {
        var value = new byte[sizeof(int)];
        socket.GetRawSocketOption((int)SocketOptionLevel.Tcp, TcpUserTimeoutOption, value);
        return BitConverter.ToInt32(value);
    }

    /// <summary>The socket of an Orleans socket connection, or null.</summary>
    public static Socket? SocketOf(object connection)
    {
        for (var type = connection.GetType(); type is not null; type = type.BaseType)
            if (type.GetField("_socket", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(connection) is Socket socket)
                return socket;
        return null;
    }
}
