namespace MovieRecommender.Trainer.Data;

/// <summary>What is wrong with a row <see cref="MovieLensLoader"/> refuses (or, with <c>--skip-bad-rows</c>, skips).</summary>
public enum BadRowKind
{
    /// <summary>Not the layout's row: wrong field count, a number that is not one, an unclosed quote.</summary>
    Malformed,

    /// <summary>A rating of a movie id the catalogue (u.item, movies.csv) lacks.</summary>
    UnknownMovie,

    /// <summary>A rating outside <see cref="MovieLensLoader.MinRating"/> to <see cref="MovieLensLoader.MaxRating"/>.</summary>
    RatingOutOfRange,

    /// <summary>A movie (u.item, movies.csv) or user (u.user) id listed a second time; the first is kept.</summary>
    DuplicateId,
}
