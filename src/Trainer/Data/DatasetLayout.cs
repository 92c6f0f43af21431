namespace MovieRecommender.Trainer.Data;

/// <summary>The file layouts <see cref="MovieLensLoader"/> reads.</summary>
public enum DatasetLayout
{
    /// <summary>MovieLens 100K: <c>u.data</c>, <c>u.item</c>, optional <c>u.user</c> and <c>u.genre</c>.</summary>
    MovieLens100K,

    /// <summary>ml-latest, ml-latest-small, ml-25m, ml-32m: <c>ratings.csv</c> and <c>movies.csv</c> with header lines.</summary>
    MovieLensLatest,
}
