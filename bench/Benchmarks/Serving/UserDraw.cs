namespace MovieRecommender.Benchmarks.Serving;

/// <summary>
/// Which users a serving load asks for: every user alike (a large audience, most requests meeting a user grain not
/// active yet), a fixed pool (a hot audience whose grains stay active), or Zipf over every user (a few users ask
/// often, most rarely, as real audiences do: the i-th most active user asks with weight 1/i^S). Seeded: the same
/// settings draw the same users. Which users are the most active is a seeded shuffle, not the artifact's order.
/// </summary>
public sealed class UserDraw
{
    private readonly int _users;
    private readonly int[]? _pool;
    // Zipf: the cumulative weight of ranks 0..i, and the user row at each rank.
    private readonly double[]? _cumulative;
    private readonly int[]? _rowOfRank;

    private UserDraw(int users, string description, int[]? pool = null, double[]? cumulative = null, int[]? rowOfRank = null)
    {
        _users = users;
        Description = description;
        _pool = pool;
        _cumulative = cumulative;
        _rowOfRank = rowOfRank;
    }

    /// <summary>For reports: e.g. "uniform over 1,000,000 users" or "Zipf (S 1.0) over 1,000,000 users".</summary>
    public string Description { get; }

    /// <summary>The JSON form of the draw: its kind and parameters.</summary>
    public (string Kind, int? Pool, double? ZipfExponent) Settings => _pool is not null ? ("pool", _pool.Length, null)
        : _cumulative is not null ? ("zipf", null, ZipfExponent) : ("uniform", null, null);

    private double? ZipfExponent { get; init; }

    public static UserDraw Uniform(int users) => new(users, $"uniform over {users:N0} users");

    /// <summary>Uniform over <paramref name="size"/> users chosen with the seed (all of them when the pool is as large as the audience).</summary>
    public static UserDraw Pool(int users, int size, int seed)
    {
        if (size <= 0 || size >= users) return Uniform(users);
        var random = new Random(seed);
        var rows = new HashSet<int>();
        while (rows.Count < size) rows.Add(random.Next(users));
        return new(users, $"uniform over a pool of {size:N0} of {users:N0} users", pool: [.. rows.Order()]);
    }

    /// <summary>Zipf with exponent <paramref name="exponent"/> (> 0) over every user.</summary>
    public static UserDraw Zipf(int users, double exponent, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exponent);
        var cumulative = new double[users];
        var total = 0.0;
        for (var rank = 0; rank < users; rank++) cumulative[rank] = total += Math.Pow(rank + 1, -exponent);
        var rowOfRank = Enumerable.Range(0, users).ToArray();
        new Random(seed).Shuffle(rowOfRank);
        return new(users, $"Zipf (S {exponent:0.0##}) over {users:N0} users", cumulative: cumulative, rowOfRank: rowOfRank) { ZipfExponent = exponent };
    }

    /// <summary>The next user's row.</summary>
    public int Next(Random random)
    {
        if (_pool is { } pool) return pool[random.Next(pool.Length)];
        if (_cumulative is not { } cumulative) return random.Next(_users);
        var rank = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return _rowOfRank![rank < 0 ? Math.Min(~rank, cumulative.Length - 1) : rank];
    }
}
