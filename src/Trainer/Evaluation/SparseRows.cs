namespace MovieRecommender.Trainer.Evaluation;

/// <summary>(user, item) pairs grouped by user (compressed sparse rows): user u's items are
/// <c>Items[Offsets[u] .. Offsets[u+1])</c>, in ascending item order.</summary>
public sealed class SparseRows
{
    private SparseRows(int users, int items, int[] offsets, int[] values)
    {
        Users = users;
        ItemCount = items;
        Offsets = offsets;
        Items = values;
    }

    public int Users { get; }
    public int ItemCount { get; }
    public int[] Offsets { get; }
    public int[] Items { get; }

    public ReadOnlySpan<int> Row(int user) => Items.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    public static SparseRows Build(int users, int items, int[] pairUsers, int[] pairItems)
    {
        if (pairUsers.Length != pairItems.Length) throw new ArgumentException("users and items differ in length.");
        var offsets = new int[users + 1];
        foreach (var u in pairUsers) offsets[u + 1]++;
        for (var u = 0; u < users; u++) offsets[u + 1] += offsets[u];
        var fill = (int[])offsets.Clone();
        var values = new int[pairItems.Length];
        for (var k = 0; k < pairUsers.Length; k++)
        {
            if ((uint)pairItems[k] >= (uint)items) throw new ArgumentOutOfRangeException(nameof(pairItems), $"item index {pairItems[k]} outside 0..{items - 1}.");
            values[fill[pairUsers[k]]++] = pairItems[k];
        }
        for (var u = 0; u < users; u++) Array.Sort(values, offsets[u], offsets[u + 1] - offsets[u]);
        return new SparseRows(users, items, offsets, values);
    }

    /// <summary>Number of pairs per item.</summary>
    public int[] ItemCounts()
    {
        var counts = new int[ItemCount];
        foreach (var i in Items) counts[i]++;
        return counts;
    }
}
