using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Grains;

/// <summary>A candidate shard's durable state: its rows of one version, written once every row is pushed.</summary>
[GenerateSerializer]
public sealed record CandidatePartitionState
{
    [Id(0)] public ModelVersionInfo? Model { get; init; }
    [Id(1)] public int FirstRow { get; init; }
    // Ids and titles as strings while chunks fill them; a sealed partition keeps them packed (PackedIds, PackedTitles).
    // Partitions stored before issue 26 have them here.
    [Id(2)] public string[] Ids { get; init; } = [];
    [Id(3)] public string[] Titles { get; init; } = [];
    // Rows x Model.Dimension, row-major.
    [Id(4)] public float[] Vectors { get; init; } = [];
    [Id(5)] public string[][] Genres { get; init; } = [];
    [Id(6)] public int[] Years { get; init; } = [];
    [Id(7)] public Utf8Column? PackedIds { get; init; }
    [Id(8)] public Utf8Column? PackedTitles { get; init; }

    public int RowCount => PackedIds?.Count ?? Ids.Length;

    /// <summary>The ids of rows [<paramref name="first"/>, first + <paramref name="count"/>), packed or not.</summary>
    public string[] IdsOf(int first, int count) => PackedIds?.Slice(first, count) ?? Ids[first..(first + count)];

    public string[] TitlesOf(int first, int count) => PackedTitles?.Slice(first, count) ?? Titles[first..(first + count)];
}
