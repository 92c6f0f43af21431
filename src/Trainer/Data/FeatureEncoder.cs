namespace MovieRecommender.Trainer.Data;

/// <summary>Turns users' demographics and movies' genres and release years into <see cref="FeatureMatrix"/> rows.</summary>
public static class FeatureEncoder
{
    /// <summary>Age bucket, gender, occupation and first zip character; a missing field gives no feature.</summary>
    public static FeatureMatrix Users(IReadOnlyList<DatasetUser> users) =>
        FeatureMatrix.Build(users.Select(UserFeatures).ToList());

    /// <summary>Every genre (multi-hot) and the release year bucket.</summary>
    public static FeatureMatrix Items(IReadOnlyList<DatasetItem> items) =>
        FeatureMatrix.Build(items.Select(ItemFeatures).ToList());

    public static IReadOnlyList<string> UserFeatures(DatasetUser user)
    {
        var features = new List<string>(4);
        if (user.Age is { } age) features.Add("age:" + AgeBucket(age));
        if (user.Gender is { } gender) features.Add("gender:" + gender);
        if (user.Occupation is { } occupation) features.Add("occupation:" + occupation);
        if (user.Zip is { Length: > 0 } zip) features.Add("zip:" + char.ToUpperInvariant(zip[0]));
        return features;
    }

    public static IReadOnlyList<string> ItemFeatures(DatasetItem item)
    {
        var features = item.Genres.Select(g => "genre:" + g).ToList();
        if (item.Year is { } year) features.Add("year:" + YearBucket(year));
        return features;
    }

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
