namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Unique (user, movie) interactions as EVALUATION.md defines them: every rating counts, repeated ratings of
/// a pair collapse into one. Users and items are indexed 0..n-1 in the order of <see cref="Users"/> and
/// <see cref="Items"/>; pair k is (<see cref="PairUsers"/>[k], <see cref="PairItems"/>[k]), listed in the order
/// of first appearance in the ratings file.
/// </summary>
public sealed class InteractionDataset
{
    public InteractionDataset(string name, DatasetLayout layout, IReadOnlyList<DatasetUser> users, IReadOnlyList<DatasetItem> items,
        int[] pairUsers, int[] pairItems, int ratings)
    {
        if (pairUsers.Length != pairItems.Length)
            throw new ArgumentException($"{pairUsers.Length} pair users but {pairItems.Length} pair items.");
        foreach (var u in pairUsers)
            if ((uint)u >= (uint)users.Count) throw new ArgumentOutOfRangeException(nameof(pairUsers), $"user index {u} outside 0..{users.Count - 1}.");
        foreach (var i in pairItems)
            if ((uint)i >= (uint)items.Count) throw new ArgumentOutOfRangeException(nameof(pairItems), $"item index {i} outside 0..{items.Count - 1}.");
        Name = name;
        Layout = layout;
        Users = users;
        Items = items;
        PairUsers = pairUsers;
        PairItems = pairItems;
        Ratings = ratings;
    }

    /// <summary>A short name for the manifest, e.g. the folder name <c>ml-100k</c>.</summary>
    public string Name { get; }
    public DatasetLayout Layout { get; }
    public IReadOnlyList<DatasetUser> Users { get; }
    public IReadOnlyList<DatasetItem> Items { get; }
    public int[] PairUsers { get; }
    public int[] PairItems { get; }
    public int PairCount => PairUsers.Length;

    /// <summary>Rating lines read, before collapsing repeated pairs.</summary>
    public int Ratings { get; }

    /// <summary>Rows the loader skipped (with <c>--skip-bad-rows</c>), by kind; empty when none were.</summary>
    public IReadOnlyDictionary<BadRowKind, int> SkippedRows { get; internal set; } = new Dictionary<BadRowKind, int>();

    /// <summary>True when at least one user has a demographic field.</summary>
    public bool HasUserFeatures => Users.Any(u => u.Age is not null || u.Gender is not null || u.Occupation is not null || u.Zip is not null);
}
