using System.Buffers.Binary;
using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Ratings;
using MovieRecommender.Grains.Storage;
using Orleans.Serialization;
using Orleans.Storage;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>The file grain storage, registered as an Orleans storage provider, keeps the format of the files already on disk.</summary>
public sealed class FileGrainStorageFormatTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("file-storage-");

    private static readonly RatingLogState Sample = new()
    {
        Open = [UserLogEntry.Of(new Rating("42", "50", 5, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero))), UserLogEntry.Of(new Rating("42", "181", 3.5, DateTimeOffset.UnixEpoch))],
    };

    [Fact]
    public void TheDefaultSerializerIsOrleansBinaryByteForByte()
    {
        using var store = new ModelFileStore(_root.FullName);
        var services = store.Services;
        var options = services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(ModelStorage.ProviderName);
        Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);
        var before = services.GetRequiredService<Serializer>().SerializeToArray(Sample);
        Assert.Equal(before, options.GrainStorageSerializer.Serialize(Sample).ToArray());
    }

    [Fact]
    public async Task AFileWrittenBeforeTheOptionsReadsBackAndIsRewrittenIdentically()
    {
        using var store = new ModelFileStore(_root.FullName);
        var (services, storage) = (store.Services, store.Storage);
        var grain = GrainId.Create("user", "42");

        // The format so far: an 8-byte little-endian version, then Orleans' serializer's bytes.
        var folder = Path.Combine(_root.FullName, "ratings", "user");
        Directory.CreateDirectory(folder);
        var payload = services.GetRequiredService<Serializer>().SerializeToArray(Sample);
        var old = new byte[8 + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(old, 7);
        payload.CopyTo(old, 8);
        var path = Path.Combine(folder, "42.bin");
        await File.WriteAllBytesAsync(path, old);

        var state = new GrainState<RatingLogState>();
        await storage.ReadStateAsync("ratings", grain, state);
        Assert.True(state.RecordExists);
        Assert.Equal("7", state.ETag);
        Assert.Equal(Sample.Open, state.State!.Open);

        await storage.WriteStateAsync("ratings", grain, state);
        var written = await File.ReadAllBytesAsync(path);
        Assert.Equal(8L, BinaryPrimitives.ReadInt64LittleEndian(written));
        Assert.Equal(payload, written[8..]);
    }

    [Fact]
    public void AStorageWithoutAFolderIsRefusedAtStart()
    {
        var services = new ServiceCollection();
        services.AddSerializer();
        services.AddFileGrainStorage("nowhere", _ => { });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OrleansConfigurationException>(() =>
        {
            foreach (var validator in provider.GetServices<IConfigurationValidator>()) validator.ValidateConfiguration();
        });
        Assert.Equal("The file grain storage 'nowhere' has no RootDirectory: set the folder that holds its files.", error.Message);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
