namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The inputs the towers may use beside the ids, each switchable so that its effect can be measured.
/// A feature the dataset lacks (ml-latest has no demographics) is simply absent.
/// </summary>
[Flags]
public enum TowerFeatures
{
    None = 0,

    // Query tower.
    /// <summary>The user's own id embedding (switch it off to describe users by history and features alone).</summary>
    UserId = 1 << 8,
    Age = 1 << 0,
    Gender = 1 << 1,
    Occupation = 1 << 2,
    Zip = 1 << 3,

    /// <summary>The bag of the user's training movies (mean of their history embeddings), the target movie hidden.</summary>
    History = 1 << 4,

    // Candidate tower.
    Genres = 1 << 5,
    Year = 1 << 6,
    TitleWords = 1 << 7,

    UserDemographics = Age | Gender | Occupation | Zip,
    All = UserId | UserDemographics | History | Genres | Year | TitleWords,
}

/// <summary>Names of <see cref="TowerFeatures"/> as the command line writes them: <c>age,gender,history,...</c>.</summary>
public static class TowerFeatureNames
{
    public static readonly IReadOnlyList<(string Name, TowerFeatures Feature)> Each =
    [
        ("user-id", TowerFeatures.UserId), ("age", TowerFeatures.Age), ("gender", TowerFeatures.Gender), ("occupation", TowerFeatures.Occupation),
        ("zip", TowerFeatures.Zip), ("history", TowerFeatures.History), ("genres", TowerFeatures.Genres),
        ("year", TowerFeatures.Year), ("title", TowerFeatures.TitleWords),
    ];

    /// <summary>Parses <c>all</c>, <c>none</c> (the ids alone) or a comma-separated list of names.</summary>
    public static TowerFeatures Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "all") return TowerFeatures.All;
        if (trimmed is "none" or "") return TowerFeatures.UserId;
        var result = TowerFeatures.None;
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Each.FirstOrDefault(e => e.Name == part);
            if (match.Name is null)
                throw new ArgumentException($"unknown feature '{part}'; use all, none or a list of {string.Join(", ", Each.Select(e => e.Name))}.");
            result |= match.Feature;
        }
        return result;
    }

    public static string Format(TowerFeatures features) =>
        features == TowerFeatures.UserId ? "none"
        : features == TowerFeatures.All ? "all"
        : string.Join(",", Each.Where(e => features.HasFlag(e.Feature)).Select(e => e.Name));
}
