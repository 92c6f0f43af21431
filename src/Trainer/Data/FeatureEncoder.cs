using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Data;

/// <summary>Turns users' demographics and movies' genres, release years and title words into <see cref="FeatureMatrix"/> rows.</summary>
public static class FeatureEncoder
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

    public static IReadOnlyList<string> UserFeatures(DatasetUser user, TowerFeatures switches = TowerFeatures.All) =>
        FeatureNames.User(
            switches.HasFlag(TowerFeatures.Age) ? user.Age : null,
            switches.HasFlag(TowerFeatures.Gender) ? user.Gender : null,
            switches.HasFlag(TowerFeatures.Occupation) ? user.Occupation : null,
            switches.HasFlag(TowerFeatures.Zip) ? user.Zip : null);

    public static IReadOnlyList<string> ItemFeatures(DatasetItem item, TowerFeatures switches = TowerFeatures.All, IReadOnlySet<string>? titleWords = null) =>
        FeatureNames.Movie(item.Title,
            switches.HasFlag(TowerFeatures.Genres) ? item.Genres : [],
            switches.HasFlag(TowerFeatures.Year) ? item.Year : null)
            .Where(name => !name.StartsWith("word:", StringComparison.Ordinal)
                || switches.HasFlag(TowerFeatures.TitleWords) && titleWords is not null && titleWords.Contains(name["word:".Length..]))
            .ToList();

    /// <summary>Lower-case words of a title without its trailing "(1995)" year, words of one letter dropped.</summary>
    public static IEnumerable<string> TitleWords(string title) => FeatureNames.TitleWords(title);

    private static HashSet<string> FrequentTitleWords(IReadOnlyList<DatasetItem> items) =>
        items.SelectMany(i => TitleWords(i.Title).Distinct())
            .GroupBy(w => w, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinTitleWordCount)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
}
