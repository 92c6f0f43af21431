using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>What the serve benchmark was asked to do (from its command line).</summary>
public sealed record ServeSettings(
    int Movies,
    int Users,
    int Dim,
    SyntheticData Data,
    int Seed,
    IReadOnlyList<IndexSpec> Indexes,
    int Shards,
    int UserShards,
    bool ShardsGiven,
    int UserPool,
    double? Zipf,
    double? FilterShare,
    double[] Rates,
    int Refine,
    double WarmupSeconds,
    StepRules Rules,
    int RecallSample,
    int InProcessQueries,
    double SiloMemoryGb,
    string OutRoot,
    bool Regenerate,
    bool Build,
    bool KeepStore);
