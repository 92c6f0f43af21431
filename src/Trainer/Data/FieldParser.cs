using System.Globalization;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// One field of a row, parsed or refused with a <see cref="BadRowException"/> naming path:line, the field as its file
/// names it and the value as found: every layout words the same fault the same way.
/// </summary>
public static class FieldParser
{
    public static int Int(string s, string path, int line, string what) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw BadRowException.Malformed($"{path}:{line}: {what} '{Shown(s)}' is not an integer");

    /// <summary>An integer id as the dataset keys it: its canonical text, so that " 7" and "007" are the id "7".</summary>
    public static string Id(string s, string path, int line, string what) =>
        Int(s, path, line, what).ToString(CultureInfo.InvariantCulture);

    public static long Long(string s, string path, int line, string what) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw BadRowException.Malformed($"{path}:{line}: {what} '{Shown(s)}' is not an integer");

    /// <summary>A rating: a number (NaN is not one) from <see cref="MovieLensLoader.MinRating"/> to <see cref="MovieLensLoader.MaxRating"/>.</summary>
    public static double Rating(string s, string path, int line, string what)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v))
            throw BadRowException.Malformed($"{path}:{line}: {what} '{Shown(s)}' is not a number");
        if (!(v >= MovieLensLoader.MinRating && v <= MovieLensLoader.MaxRating))
            throw new BadRowException(BadRowKind.RatingOutOfRange, $"{path}:{line}: {what} {Shown(s)} is outside {RatingBounds}");
        return v;
    }

    private static readonly string RatingBounds =
        $"{MovieLensLoader.MinRating.ToString(CultureInfo.InvariantCulture)} to {MovieLensLoader.MaxRating.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An optional text field: empty means absent.</summary>
    public static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    // A field quoted in a message: printable and short, so the message stays one readable line.
    private static string Shown(string s)
    {
        var clean = new string(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length > 40 ? clean[..40] + "..." : clean;
    }
}
