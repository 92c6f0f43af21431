using System.Text.RegularExpressions;

namespace MovieRecommender.Cluster;

/// <summary>Masks secrets in text shown to people: every <c>password=...</c> of a connection string, and any known secret value.</summary>
public static partial class Secrets
{
    public const string Placeholder = "***";

    public static string Mask(string? text, IEnumerable<string>? values = null)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var masked = PasswordKey().Replace(text, m => $"{m.Groups[1].Value}={Placeholder}");
        foreach (var value in values ?? [])
            if (value.Length > 0) masked = masked.Replace(value, Placeholder, StringComparison.Ordinal);
        return masked;
    }

    // StackExchange.Redis' password=, and the like in any other connection string (pwd=, sslpassword=...).
    [GeneratedRegex(@"\b((?:ssl)?password|pwd)\s*=[^,;\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordKey();
}
