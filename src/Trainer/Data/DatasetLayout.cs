namespace MovieRecommender.Trainer.Data;

/// <summary>The file layouts <see cref="MovieLensLoader"/> reads.</summary>
public enum DatasetLayout
{
    /// <summary>MovieLens 100K: <c>u.data</c>, <c>u.item</c>, optional <c>u.user</c> and <c>u.genre</c>.</summary>
    MovieLens100K,

    /// <summary>ml-latest, ml-latest-small, ml-25m, ml-32m: <c>ratings.csv</c> and <c>movies.csv</c> with header lines.</summary>
    MovieLensLatest,

    /// <summary>ml-1m, ml-10m: <c>ratings.dat</c> and <c>movies.dat</c> with '::'-separated fields, optional <c>users.dat</c> (ml-1m's demographics).</summary>
    MovieLens1M,
}
