using System.Globalization;
using System.Text.RegularExpressions;

namespace MovieRecommender.Artifacts.Towers;

/// <summary>
/// The names of the features a tower sums ("genre:Drama", "year:1995", "word:star", "age:25-34"): one rule, used by
/// the trainer to build its vocabularies and by serving to embed a movie or a user the model never saw, so that both
/// sides name a feature the same way. A name missing from a tower's vocabulary is simply not summed.
/// </summary>
public static partial class FeatureNames
{
    /// <summary>Every feature of a movie: each genre, the release year's bucket, the distinct title words.</summary>
    public static IReadOnlyList<string> Movie(string title, IEnumerable<string> genres, int? year)
    {
        var names = new List<string>();
        names.AddRange(genres.Select(Genre));
        if (year is { } y) names.Add(Year(y));
        names.AddRange(TitleWords(title).Distinct().Select(Word));
        return names;
    }

    /// <summary>Every demographic feature of a user: age bucket, gender, occupation, first zip character; a missing field gives none.</summary>
    public static IReadOnlyList<string> User(int? age, string? gender, string? occupation, string? zip)
    {
        var names = new List<string>(4);
        if (age is { } a) names.Add(Age(a));
        if (gender is { Length: > 0 }) names.Add(Gender(gender));
        if (occupation is { Length: > 0 }) names.Add(Occupation(occupation));
        if (zip is { Length: > 0 }) names.Add(Zip(zip));
        return names;
    }

    public static string Genre(string genre) => "genre:" + genre;
    public static string Year(int year) => "year:" + YearBucket(year);
    public static string Word(string word) => "word:" + word;
    public static string Age(int age) => "age:" + AgeBucket(age);
    public static string Gender(string gender) => "gender:" + gender;
    public static string Occupation(string occupation) => "occupation:" + occupation;
    public static string Zip(string zip) => "zip:" + char.ToUpperInvariant(zip[0]);

    /// <summary>The genre a name of <see cref="Genre"/> names, or null for another kind of feature.</summary>
    public static string? GenreOf(string name) => name.StartsWith("genre:", StringComparison.Ordinal) ? name["genre:".Length..] : null;

    /// <summary>Lower-case words of a title without its trailing "(1995)" year, words of one letter dropped.</summary>
    public static IEnumerable<string> TitleWords(string title) =>
        WordPattern().Matches(YearSuffix().Replace(title, "").ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length > 1);

    /// <summary>The MovieLens 1M age groups: under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+.</summary>
    public static string AgeBucket(int age) => age switch
    {
        < 18 => "<18",
        < 25 => "18-24",
        < 35 => "25-34",
        < 45 => "35-44",
        < 50 => "45-49",
        < 56 => "50-55",
        _ => "56+",
    };

    /// <summary>Decades before 1990, single years from 1990 on (where most MovieLens movies are).</summary>
    public static string YearBucket(int year) => year switch
    {
        < 1930 => "<1930",
        < 1990 => $"{year / 10 * 10}s",
        _ => year.ToString(CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"\s*\(\d{4}\)\s*$")]
    private static partial Regex YearSuffix();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
