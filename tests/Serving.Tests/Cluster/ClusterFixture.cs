namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>Two silos configured as production silos are, shared by the tests of collection <see cref="ClusterCollection.Name"/>.</summary>
public sealed class ClusterFixture() : TestClusterFixture(silos: 2);

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
