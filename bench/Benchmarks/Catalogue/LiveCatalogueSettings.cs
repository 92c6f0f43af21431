using MovieRecommender.Benchmarks.Serving;
using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Catalogue;

/// <summary>What the live-catalogue benchmark was asked to do (from its command line).</summary>
public sealed record LiveCatalogueSettings(
    int Movies,
    int Users,
    int Dim,
    int Seed,
    IndexSpec Index,
    int Shards,
    int UserShards,
    int UserPool,
    double Rps,
    double WarmupSeconds,
    double BaselineSeconds,
    int Puts,
    double PutRps,
    int PutConcurrency,
    StepRules Rules,
    int RecallSample,
    int Takedowns,
    double TakedownRps,
    double TakedownPatienceSeconds,
    LiveCatalogueGoals Goals,
    string OutRoot,
    bool Regenerate,
    bool Build,
    bool KeepStore);

/// <summary>The bars: recommend's p99 during the puts, its ratio to the same load without puts, served recall at the end, a takedown's reach.</summary>
public sealed record LiveCatalogueGoals(double P99Ms, double MaxP99Ratio, double MinRecall, double TakedownP99Ms);
