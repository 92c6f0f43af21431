namespace MovieRecommender.Grains;

/// <summary>A candidate shard's durable state: its rows of one version, written once every row is pushed.</summary>
[GenerateSerializer]
public sealed record CandidatePartitionState
{
    [Id(0)] public ModelVersionInfo? Model { get; init; }
    [Id(1)] public int FirstRow { get; init; }
    [Id(2)] public string[] Ids { get; init; } = [];
    [Id(3)] public string[] Titles { get; init; } = [];
    // Rows x Model.Dimension, row-major.
    [Id(4)] public float[] Vectors { get; init; } = [];
    [Id(5)] public string[][] Genres { get; init; } = [];
    [Id(6)] public int[] Years { get; init; } = [];
}
