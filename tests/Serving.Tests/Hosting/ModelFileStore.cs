using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Storage;
using Orleans.Serialization;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>
/// The model storage of a silo (<see cref="ModelStorage.ProviderName"/>, files under a root) outside any silo: for tests
/// that read or write the files a silo finds, with Orleans' serializer for the grains' states.
/// </summary>
internal sealed class ModelFileStore : IDisposable
{
    private readonly ServiceProvider _services;

    public ModelFileStore(string root)
    {
        var services = new ServiceCollection();
        services.AddSerializer(s => s.AddAssembly(typeof(UserPartitionState).Assembly));
        services.AddFileGrainStorage(ModelStorage.ProviderName, o => o.RootDirectory = root);
        _services = services.BuildServiceProvider();
        Storage = new FileGrainStorage(_services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(ModelStorage.ProviderName));
    }

    public FileGrainStorage Storage { get; }

    public IServiceProvider Services => _services;

    public void Dispose() => _services.Dispose();
}
