namespace MovieRecommender.Artifacts;

/// <summary>The file names every artifact has.</summary>
public static class ArtifactFiles
{
    public const string ItemEmbeddings = "items.npy";
    public const string UserEmbeddings = "users.npy";
    public const string Items = "items.tsv";
    public const string Users = "users.tsv";
}
