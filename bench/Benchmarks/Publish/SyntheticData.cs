namespace MovieRecommender.Benchmarks.Publish;

/// <summary>How <see cref="GeneratedArtifact"/> draws its embeddings.</summary>
public enum SyntheticData
{
    /// <summary>Movies and users from shared Gaussian clusters with log-normal norms (<see cref="Index.SyntheticEmbeddings"/>):
    /// the structure trained embeddings have, which partitioned indexes rely on.</summary>
    Clustered,

    /// <summary>Independent Gaussian values: no structure, the hard case for any partitioned or quantized index.</summary>
    Gaussian,
}
