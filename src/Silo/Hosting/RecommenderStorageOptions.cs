using Microsoft.Extensions.Options;

namespace MovieRecommender.Silo.Hosting;

/// <summary>The embedded default's model store on local disk (configuration section <c>Storage</c>).</summary>
public sealed class RecommenderStorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The folder of the model storage: the registry, every kept version's partitions and users' ratings,
    /// relative to the working directory unless absolute.
    /// </summary>
    public string Root { get; set; } = "store";

    /// <summary>Flush the user log to disk on every write (see <c>ModelStorage.UserLogProviderName</c>); off by default.</summary>
    public bool FlushUserLog { get; set; }
}

/// <summary>Checks <see cref="RecommenderStorageOptions"/> before the silo is built.</summary>
public sealed class RecommenderStorageOptionsValidator : IValidateOptions<RecommenderStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, RecommenderStorageOptions o) =>
        string.IsNullOrWhiteSpace(o.Root)
            ? ValidateOptionsResult.Fail($"{RecommenderStorageOptions.Section}:Root is empty: expected the folder of the model store (default 'store').")
            : ValidateOptionsResult.Success;
}
