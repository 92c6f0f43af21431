using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MovieRecommender.Testing;

/// <summary>
/// Ports for the servers tests start (silos, gateways, HTTP, Redis, dashboards). They come from just below the kernel's
/// ephemeral range: a port the OS hands out as free from inside that range can be taken by any outgoing connection
/// before the test's server binds it ("Address already in use", seen in CI on a silo restarted on its ports), while
/// no connection is ever given one from below it. Each port is handed out once per machine at a time: the test
/// projects run in parallel processes, so a port is also reserved with a lock file that this process holds until it
/// exits (the kernel drops the lock even on kill -9), and another process skips it.
/// </summary>
public static class Ports
{
    private const int RangeWidth = 12_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly List<FileStream> Reservations = [];
    private static readonly (int First, int End) Range = BelowEphemeral();
    private static readonly string ReservationFolder = Path.Combine(Path.GetTempPath(), "movie-recommender-test-ports");

    /// <summary>A loopback TCP port nobody listens on right now, not handed out before by this process.</summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Range.First, Range.End);
                if (HandedOut.Contains(port) || !Reserve(port) || !CanListen(port)) continue;
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port in {Range.First}-{Range.End - 1} after 1000 tries.");
    }

    /// <summary>Two different free ports.</summary>
    public static (int First, int Second) FreePair() => (Free(), Free());

    /// <summary>Takes the port's lock file (an exclusive lock, held while this process lives); false when another process holds it.</summary>
    private static bool Reserve(int port)
    {
        try
        {
            Directory.CreateDirectory(ReservationFolder);
            Reservations.Add(new FileStream(Path.Combine(ReservationFolder, port.ToString(CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The <see cref="RangeWidth"/> ports below the ephemeral range (Linux's ip_local_port_range; 32768 when unreadable).</summary>
    private static (int First, int End) BelowEphemeral()
    {
        var lowest = 32768;
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) lowest = parsed;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        var end = Math.Max(lowest, 1024 + RangeWidth);
        return (end - RangeWidth, end);
    }
}
