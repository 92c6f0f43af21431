using System.CommandLine;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Trainer.Commands;

/// <summary><c>--threads</c> of the measuring commands (spread, ablation): TorchSharp threads, 2 by default, at most the processor count.</summary>
public static class ThreadsOption
{
    public static Option<int> Create() =>
        new Option<int>("--threads") { Description = "TorchSharp threads.", DefaultValueFactory = _ => 2 }.Integer(min: 1, max: 1024);

    /// <summary>The threads asked for, capped at the processors there are: more would only contend.</summary>
    public static int Resolve(ParseResult parsed, Option<int> option) => Math.Min(parsed.GetValue(option), Environment.ProcessorCount);
}
