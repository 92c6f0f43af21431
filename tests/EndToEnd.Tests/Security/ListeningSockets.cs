using System.Globalization;
using System.Net;

namespace MovieRecommender.EndToEnd.Tests.Security;

/// <summary>
/// The TCP sockets a process listens on, from Linux's /proc: its descriptors' socket inodes (/proc/PID/fd) matched
/// against /proc/net/tcp and /proc/net/tcp6 in state LISTEN.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles($"/proc/{processId}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
        }
        var listening = new List<IPEndPoint>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 10 || columns[3] != Listen || !inodes.Contains(columns[9])) continue;
                listening.Add(ParseEndpoint(columns[1]));
            }
        }
        return listening;
    }

    /// <summary>/proc/net/tcp's "0100007F:2B67" (IPv4) or tcp6's 32 hex digits (four 32-bit words, each in host order).</summary>
    public static IPEndPoint ParseEndpoint(string text)
    {
        var (address, port) = (text[..text.IndexOf(':')], text[(text.IndexOf(':') + 1)..]);
        var bytes = new byte[address.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
            for (var i = 0; i < 4; i++)
                // Each word is printed as a little-endian integer: its bytes come out reversed.
                bytes[word * 4 + i] = byte.Parse(address.AsSpan(word * 8 + (3 - i) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new IPEndPoint(new IPAddress(bytes), int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    /// <summary>The process's listening sockets once every one of <paramref name="ports"/> is among them (within 10 s).</summary>
    public static async Task<IReadOnlyList<IPEndPoint>> WaitForAsync(int processId, int[] ports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var listening = ListeningSockets.Of(processId);
            var missing = ports.Where(p => listening.All(e => e.Port != p)).ToArray();
            if (missing.Length == 0) return listening;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"process {processId} does not listen on port(s) {string.Join(", ", missing)}; it listens on {string.Join(", ", listening)}");
            await Task.Delay(200);
        }
    }

    public static void AssertLoopbackOnly(IReadOnlyList<IPEndPoint> listening, string context)
    {
        Assert.NotEmpty(listening);
        var exposed = listening.Where(e => !IPAddress.IsLoopback(e.Address.IsIPv4MappedToIPv6 ? e.Address.MapToIPv4() : e.Address)).ToArray();
        Assert.True(exposed.Length == 0, $"listening beyond loopback: {string.Join(", ", exposed)} (all: {string.Join(", ", listening)}); output:\n{context}");
    }
}
