namespace MovieRecommender.Hosting;

/// <summary>The embedded default's model store on local disk (configuration section <c>Storage</c>).</summary>
public sealed class RecommenderStorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The folder of the model storage: the registry, every kept version's partitions and users' ratings,
    /// relative to the working directory unless absolute.
    /// </summary>
    public string Root { get; set; } = "store";
}
