using System.Text.Json.Nodes;

namespace MovieRecommender.Artifacts;

/// <summary>Everything the trainer hands to <see cref="ArtifactWriter"/>; the writer adds the version, checksums and manifest.</summary>
public sealed record ArtifactContent(
    string Dataset,
    int SplitSeed,
    JsonObject HyperParameters,
    EvaluationTable Evaluation,
    int TrainInteractions,
    int TestInteractions,
    double TrainingSeconds,
    IReadOnlyList<CatalogItem> Items,
    EmbeddingMatrix ItemEmbeddings,
    IReadOnlyList<ArtifactUser> Users,
    EmbeddingMatrix UserEmbeddings,
    // Writes further files (weights, learning curves) into the given staging folder; they are checksummed too.
    Action<string>? WriteExtraFiles = null);
