using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace MovieRecommender.Grains.Storage;

/// <summary>Registers a <see cref="FileGrainStorage"/> provider, as Orleans' own storage providers are registered.</summary>
public static class FileGrainStorageServiceCollectionExtensions
{
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder silo, string name, Action<FileGrainStorageOptions> configure)
    {
        silo.Services.AddFileGrainStorage(name, configure);
        return silo;
    }

    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name, Action<FileGrainStorageOptions> configure)
    {
        services.AddOptions<FileGrainStorageOptions>(name).Configure(configure)
            // Orleans' binary format unless told otherwise: the silo-wide default serializer is JSON.
            .PostConfigure<Serializer>((o, serializer) => o.GrainStorageSerializer ??= new OrleansGrainStorageSerializer(serializer));
        services.AddTransient<IConfigurationValidator>(sp =>
            new FileGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name), name));
        return services.AddGrainStorage(name, (sp, provider) =>
            new FileGrainStorage(sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(provider)));
    }
}

/// <summary>Checks a <see cref="FileGrainStorage"/> provider's settings when the silo starts.</summary>
public sealed class FileGrainStorageOptionsValidator(FileGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
            throw new OrleansConfigurationException($"The file grain storage '{name}' has no {nameof(FileGrainStorageOptions.RootDirectory)}: set the folder that holds its files.");
    }
}
