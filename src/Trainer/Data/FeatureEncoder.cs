using System.Text.RegularExpressions;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Data;

/// <summary>Turns users' demographics and movies' genres, release years and title words into <see cref="FeatureMatrix"/> rows.</summary>
public static partial class FeatureEncoder
{
    /// <summary>Title words must appear in at least this many titles to become a feature (rarer ones only memorise).</summary>
    public const int MinTitleWordCount = 2;

    /// <summary>The switched-on demographics: age bucket, gender, occupation, first zip character; a missing field gives no feature.</summary>
    public static FeatureMatrix Users(IReadOnlyList<DatasetUser> users, TowerFeatures features = TowerFeatures.All) =>
        FeatureMatrix.Build(users.Select(u => UserFeatures(u, features)).ToList());

    /// <summary>The switched-on movie features: every genre (multi-hot), the release year bucket, the title words.</summary>
    public static FeatureMatrix Items(IReadOnlyList<DatasetItem> items, TowerFeatures features = TowerFeatures.All)
    {
        var words = features.HasFlag(TowerFeatures.TitleWords) ? FrequentTitleWords(items) : [];
        return FeatureMatrix.Build(items.Select(i => ItemFeatures(i, features, words)).ToList());
    }

    public static IReadOnlyList<string> UserFeatures(DatasetUser user, TowerFeatures switches = TowerFeatures.All)
    {
        var features = new List<string>(4);
        if (switches.HasFlag(TowerFeatures.Age) && user.Age is { } age) features.Add("age:" + AgeBucket(age));
        if (switches.HasFlag(TowerFeatures.Gender) && user.Gender is { } gender) features.Add("gender:" + gender);
        if (switches.HasFlag(TowerFeatures.Occupation) && user.Occupation is { } occupation) features.Add("occupation:" + occupation);
        if (switches.HasFlag(TowerFeatures.Zip) && user.Zip is { Length: > 0 } zip) features.Add("zip:" + char.ToUpperInvariant(zip[0]));
        return features;
    }

    public static IReadOnlyList<string> ItemFeatures(DatasetItem item, TowerFeatures switches = TowerFeatures.All, IReadOnlySet<string>? titleWords = null)
    {
        var features = new List<string>();
        if (switches.HasFlag(TowerFeatures.Genres)) features.AddRange(item.Genres.Select(g => "genre:" + g));
        if (switches.HasFlag(TowerFeatures.Year) && item.Year is { } year) features.Add("year:" + YearBucket(year));
        if (switches.HasFlag(TowerFeatures.TitleWords) && titleWords is not null)
            features.AddRange(TitleWords(item.Title).Where(titleWords.Contains).Distinct().Select(w => "word:" + w));
        return features;
    }

    /// <summary>Lower-case words of a title without its trailing "(1995)" year, words of one letter dropped.</summary>
    public static IEnumerable<string> TitleWords(string title) =>
        WordPattern().Matches(YearSuffix().Replace(title, "").ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length > 1);

    private static HashSet<string> FrequentTitleWords(IReadOnlyList<DatasetItem> items) =>
        items.SelectMany(i => TitleWords(i.Title).Distinct())
            .GroupBy(w => w, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinTitleWordCount)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\s*\(\d{4}\)\s*$")]
    private static partial Regex YearSuffix();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

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
        _ => year.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
