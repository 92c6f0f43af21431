namespace MovieRecommender.ServiceDefaults;

/// <summary>The names every program subscribes to and reports as.</summary>
public static class TelemetryNames
{
    /// <summary>Prefix of the product's activity sources and meters: the grains', the console's, the publisher's.</summary>
    public const string Product = "MovieRecommender";

    public const string SiloService = "movie-recommender-silo";
    public const string ClientService = "movie-recommender-client";
    public const string TrainerService = "movie-recommender-trainer";

    /// <summary>
    /// Orleans' spans of calls to application grains (with <c>AddActivityPropagation</c>). Listening to it is also
    /// what makes Orleans carry the trace context across a call. Its runtime source (system targets) is left out.
    /// </summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Orleans' own meter: messaging, activations, storage, membership.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// An initial tag on a root span that asks for that trace to be kept with this probability (a double in
    /// [0, 1]); see <see cref="ShareSampler"/>. The load generator uses it so its traces are sampled.
    /// </summary>
    public const string TraceShareTag = "recommender.trace_share";

    /// <summary>
    /// The span tag naming the user a recommendation is for (the console's and the user grain's): set raw, hashed on
    /// export (<see cref="UserIdRedactionProcessor"/>).
    /// </summary>
    public const string UserTag = "recommender.user";
}
