namespace MovieRecommender.HttpApi.Tests;

/// <summary>One web silo with one published version (3 candidate shards), shared by the read-only HTTP tests.</summary>
public sealed class HttpApiFixture : IAsyncLifetime
{
    private readonly TempFolder _artifacts = new();

    public HttpSilo Silo { get; private set; } = null!;

    public ModelVersionInfoAndArtifact Published { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await HttpSilo.StartAsync();
        Published = await Silo.PublishAsync(_artifacts, users: 40, items: 257, dim: 12, seed: 1301);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _artifacts.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpApiCollection : ICollectionFixture<HttpApiFixture>
{
    public const string Name = "http";
}
