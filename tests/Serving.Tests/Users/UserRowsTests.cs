using MovieRecommender.Grains;
using MovieRecommender.Grains.Users;

namespace MovieRecommender.Serving.Tests.Users;

/// <summary>A user shard's users in flat arrays: found by id, pushed in any order, a user pushed twice kept once.</summary>
public sealed class UserRowsTests
{
    private const int Dim = 2;

    [Fact]
    public void EveryPushedUserIsFoundWithItsOwnEmbeddingAndSeenMovies()
    {
        var builder = new UserRowsBuilder(Dim);
        builder.Add(["42", "7", "Zoë"], [4.2f, 0.42f, 7f, 0.7f, 1f, -1f], [[3, 9], [], [1]]);
        builder.Add(["100"], [10f, 0f], [[0, 1, 2]]);

        var rows = builder.Build();

        Assert.Equal(4, rows.Count);
        AssertProfile(rows.Find("42"), [4.2f, 0.42f], [3, 9]);
        AssertProfile(rows.Find("7"), [7f, 0.7f], []);
        AssertProfile(rows.Find("Zoë"), [1f, -1f], [1]);
        AssertProfile(rows.Find("100"), [10f, 0f], [0, 1, 2]);
        Assert.Null(rows.Find("43"));
        Assert.Null(rows.Find(""));
        Assert.Null(rows.Find("4"));
    }

    [Fact]
    public void AUserPushedTwiceKeepsItsLastPush()
    {
        var builder = new UserRowsBuilder(Dim);
        builder.Add(["1", "2"], [1f, 1f, 2f, 2f], [[1], [2]]);
        builder.Add(["2"], [20f, 20f], [[20]]);

        var rows = builder.Build();

        Assert.Equal(2, rows.Count);
        AssertProfile(rows.Find("2"), [20f, 20f], [20]);
        AssertProfile(rows.Find("1"), [1f, 1f], [1]);
    }

    [Fact]
    public void IdsAreInOneOrderWhateverOrderTheyCameIn()
    {
        var a = new UserRowsBuilder(Dim);
        a.Add(["b", "a", "c"], new float[6], [[], [], []]);
        var b = new UserRowsBuilder(Dim);
        b.Add(["c"], new float[2], [[]]);
        b.Add(["a", "b"], new float[4], [[], []]);

        Assert.Equal(["a", "b", "c"], Ids(a.Build()));
        Assert.Equal(["a", "b", "c"], Ids(b.Build()));
    }

    [Fact]
    public void WithoutAUserTheOthersKeepTheirRowsAndTheOriginalIsUnchanged()
    {
        var builder = new UserRowsBuilder(Dim);
        builder.Add(["a", "bb", "ccc"], [1f, 1f, 2f, 2f, 3f, 3f], [[1], [2, 22], [3]]);
        var rows = builder.Build();

        var erased = rows.Without(rows.IndexOf("bb"));

        Assert.Equal(["a", "ccc"], Ids(erased));
        Assert.Null(erased.Find("bb"));
        AssertProfile(erased.Find("a"), [1f, 1f], [1]);
        AssertProfile(erased.Find("ccc"), [3f, 3f], [3]);
        AssertProfile(rows.Find("bb"), [2f, 2f], [2, 22]);
    }

    [Fact]
    public void SealedRowsPushedAgainAreKeptUnderWhatComesNext()
    {
        var first = new UserRowsBuilder(Dim);
        first.Add(["a", "b"], [1f, 1f, 2f, 2f], [[1], [2]]);
        var again = new UserRowsBuilder(Dim);
        again.Add(first.Build());
        again.Add(["b"], [5f, 5f], [[5]]);

        var rows = again.Build();

        AssertProfile(rows.Find("a"), [1f, 1f], [1]);
        AssertProfile(rows.Find("b"), [5f, 5f], [5]);
    }

    [Fact]
    public void AnIdThatIsNotValidTextIsRefusedSayingWhich()
    {
        var builder = new UserRowsBuilder(Dim);

        var error = Assert.Throws<ArgumentException>(() => builder.Add(["ok", "bad\ud800"], new float[4], [[], []]));

        Assert.Contains("lone surrogate", error.Message);
        Assert.Equal(0, builder.Pushed);
        Assert.Equal(-1, new UserRows { Dimension = Dim }.IndexOf("bad\ud800"));
    }

    [Fact]
    public void ALongIdIsFoundToo()
    {
        var id = new string('x', 1000) + "é";
        var builder = new UserRowsBuilder(Dim);
        builder.Add([id, "short"], [1f, 2f, 3f, 4f], [[7], []]);

        AssertProfile(builder.Build().Find(id), [1f, 2f], [7]);
    }

    private static string[] Ids(UserRows rows) => [.. Enumerable.Range(0, rows.Count).Select(rows.IdAt)];

    private static void AssertProfile(UserProfile? profile, float[] embedding, int[] seen)
    {
        Assert.NotNull(profile);
        Assert.Equal(embedding, profile.Embedding);
        Assert.Equal(seen, profile.SeenRows);
    }
}
