using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// What telemetry shows of a user id (issue 24, erasure): <c>u:</c> and the first 16 hex digits of its HMAC-SHA256
/// under <see cref="TelemetryOptions.UserIdKey"/>, so a trace or log line names no user, yet one user's requests
/// carry one value that whoever holds the key can compute. Without a key, a random one per process: the hashes
/// are then comparable within that process only. <see cref="TelemetryOptions.RawUserIds"/> shows the raw ids.
/// </summary>
public sealed partial class UserIdRedaction
{
    /// <summary>Starts every hashed id; a raw id (a positive integer) never does.</summary>
    public const string Prefix = "u:";

    /// <summary>A shorter key could be guessed; 16 characters of a generated secret are far beyond that.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The grain type Orleans names user grains by (<c>UserGrain</c>): their grain ids read <c>user/42</c>.</summary>
    public const string UserGrainType = "user";

    // One per process, so every component of a process without a configured key (a test's silos and its exporter) agrees.
    private static readonly Lazy<byte[]> ProcessKey = new(() => RandomNumberGenerator.GetBytes(32));

    private readonly byte[]? _key;

    private UserIdRedaction(byte[]? key) => _key = key;

    /// <summary>Raw ids: <see cref="Of"/> and <see cref="InText"/> change nothing.</summary>
    public bool Raw => _key is null;

    /// <summary>As the section <c>Telemetry</c> says: raw ids, the configured key, or a random key of this process.</summary>
    public static UserIdRedaction From(TelemetryOptions options) =>
        options.RawUserIds ? new UserIdRedaction(null)
        : string.IsNullOrEmpty(options.UserIdKey) ? new UserIdRedaction(ProcessKey.Value)
        : WithKey(options.UserIdKey);

    /// <summary>Hashes under this key (its UTF-8 bytes), as <c>Telemetry:UserIdKey</c> gives it.</summary>
    public static UserIdRedaction WithKey(string key) => new(Encoding.UTF8.GetBytes(key));

    /// <summary>The form of <paramref name="userId"/> telemetry may carry: its hash, or itself with raw ids on.</summary>
    public string Of(string userId)
    {
        if (_key is null) return userId;
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId), hash);
        // 64 bits: no two users of a catalogue's size meet by chance, and the trace UI stays readable.
        return Prefix + Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary><paramref name="value"/> as telemetry may carry it; one already hashed (a span two providers see) stays.</summary>
    public string OfOnce(string value) => value.StartsWith(Prefix, StringComparison.Ordinal) ? value : Of(value);

    /// <summary>
    /// <paramref name="text"/> with the user ids others write hashed: in user grain ids (<c>user/42</c>, Orleans' span
    /// tags and log lines) and request paths (<c>/v1/users/42/...</c>, ASP.NET Core's). The same text when it has none.
    /// </summary>
    public string InText(string text)
    {
        // Most texts name no user: skip the expressions for them.
        if (_key is null || !text.Contains(UserGrainType, StringComparison.Ordinal)) return text;
        text = UserGrainId().Replace(text, m => $"{UserGrainType}/{OfOnce(m.Groups["id"].Value)}");
        return UserPath().Replace(text, m => $"/users/{OfOnce(m.Groups["id"].Value)}");
    }

    // A grain id's key runs to the end of the text or to what follows it in Orleans' longer forms (activation@, [..]).
    [GeneratedRegex(@"\b" + UserGrainType + @"/(?<id>[^\s/@#,;\]\)]+)", RegexOptions.CultureInvariant)]
    private static partial Regex UserGrainId();

    // A path segment; a route template's "{id}" (http.route, a span's name) is no id and stays.
    [GeneratedRegex(@"/users/(?<id>[^/?#\s{][^/?#\s]*)", RegexOptions.CultureInvariant)]
    private static partial Regex UserPath();
}
