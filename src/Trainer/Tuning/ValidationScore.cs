namespace MovieRecommender.Trainer.Tuning;

/// <summary>
/// One number to rank settings by: the mean of the seen-excluded top-10 and top-100 figures, each as a ratio to a
/// reference (EASE's on the same pairs). The goal is judged at both K, and top-100 figures are several times top-10's,
/// so a plain sum would let top-100 decide alone.
/// </summary>
public static class ValidationScore
{
    public static double Of(double top10, double top100, double reference10, double reference100) =>
        0.5 * (Ratio(top10, reference10) + Ratio(top100, reference100));

    private static double Ratio(double value, double reference) => reference > 0 ? value / reference : value;
}
