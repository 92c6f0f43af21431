namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// The targets of issue 24 for one store: at least <see cref="RatePerSecond"/> ratings a second sustained until
/// <see cref="LogSize"/> are in the log, the last minute's rate at least <see cref="LastOverFirstMinute"/> times the
/// first's, p99 under <see cref="P99Ms"/>, no error; <c>export-ratings</c> of the log in under
/// <see cref="ExportSeconds"/> with its peak RSS under <see cref="ExportPeakRssMb"/> (set for
/// <see cref="ExportLogSize"/> ratings, so met by the file run; another run's export is held to it all the same).
/// </summary>
public sealed record RatingsTargets(double RatePerSecond, int LogSize, double LastOverFirstMinute, double P99Ms, double ExportSeconds, double ExportPeakRssMb)
{
    public const int ExportLogSize = 1_000_000;

    public static RatingsTargets For(RatingsStoreKind store) => store switch
    {
        RatingsStoreKind.Redis => new RatingsTargets(1_000, 200_000, 0.8, 50, 20, 300),
        _ => new RatingsTargets(2_000, 1_000_000, 0.8, 50, 20, 300),
    };
}
