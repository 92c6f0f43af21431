using Orleans.Storage;

namespace MovieRecommender.Grains.Storage;

/// <summary>Settings of one <see cref="FileGrainStorage"/> provider, named as the provider is.</summary>
public sealed class FileGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The folder that holds one file per grain state (created when first written).</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>
    /// How states become bytes. Unset: Orleans' binary serializer (<see cref="OrleansGrainStorageSerializer"/>),
    /// the format of every file written so far, and 16 MB float partitions stay 16 MB rather than a JSON text.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>
    /// Whether each write is flushed to the disk (fsync) before it counts as done. Either way the bytes are with the
    /// operating system before the write returns, so they survive the silo process being killed; the flush makes
    /// them survive the machine failing too, for a cost (a flush per write) that the user log's rate cannot pay.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;
}
