using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

public class TrainTestSplitTests
{
    private static (int[] Users, int[] Items) Pairs(int n) =>
        (Enumerable.Range(0, n).Select(k => k / 10).ToArray(), Enumerable.Range(0, n).Select(k => k % 10).ToArray());

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var (users, items) = Pairs(1000);
        var a = TrainTestSplit.Create(users, items, 800, 42);
        var b = TrainTestSplit.Create(users, items, 800, 42);
        var c = TrainTestSplit.Create(users, items, 800, 43);
        Assert.Equal(a.TrainUsers, b.TrainUsers);
        Assert.Equal(a.TrainItems, b.TrainItems);
        Assert.Equal(a.TestUsers, b.TestUsers);
        Assert.NotEqual(a.TrainUsers.Zip(a.TrainItems), c.TrainUsers.Zip(c.TrainItems));
    }

    [Fact]
    public void TrainAndTestPartitionThePairs()
    {
        var (users, items) = Pairs(1000);
        var s = TrainTestSplit.Create(users, items, TrainTestSplit.TrainSize(1000, 100), 1);
        Assert.Equal(800, s.TrainCount);
        Assert.Equal(200, s.TestCount);
        var all = s.TrainUsers.Zip(s.TrainItems).Concat(s.TestUsers.Zip(s.TestItems)).ToHashSet();
        Assert.Equal(users.Zip(items).ToHashSet(), all);
    }

    [Fact]
    public void Ml100KSizesFollowTheReference()
    {
        Assert.Equal(80_000, TrainTestSplit.TrainSize(99_693, 943));
        Assert.Equal(79_754, TrainTestSplit.TrainSize(99_693, 944)); // int(0.8 * pairs) otherwise
        Assert.Equal(8, TrainTestSplit.TrainSize(10, 3));
    }

    [Fact]
    public void ValidationIsCarvedFromTrainOnly()
    {
        var (users, items) = Pairs(1000);
        var s = TrainTestSplit.Create(users, items, 800, 5);
        var v = s.CarveValidation(0.1, 6);
        Assert.Equal(720, v.TrainCount);
        Assert.Equal(80, v.TestCount);
        var train = s.TrainUsers.Zip(s.TrainItems).ToHashSet();
        Assert.All(v.TestUsers.Zip(v.TestItems), p => Assert.Contains(p, train));
    }
}
