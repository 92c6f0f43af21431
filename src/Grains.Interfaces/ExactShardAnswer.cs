namespace MovieRecommender.Grains;

/// <summary>A shard's exact top K (brute force over its float32 rows) and the kind of index its served answers use (e.g. <c>ivf-int8</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ExactShardAnswer(
    [property: Id(0)] ScoredMovie[] Movies,
    [property: Id(1)] string IndexKind);
