namespace MovieRecommender.Trainer.Data;

/// <summary>
/// What the readers do with a bad row: by default the first one stops the load (its file:line and fault in an
/// <see cref="InvalidDataException"/>); skipping, each is counted by <see cref="BadRowKind"/> and the first of each kind
/// kept for the report. One policy for every layout, so a dirty file reads the same whichever layout it is in.
/// </summary>
public sealed class BadRowPolicy(bool skip)
{
    private readonly Dictionary<BadRowKind, (int Count, string First)> _skipped = [];

    public IReadOnlyDictionary<BadRowKind, int> Counts => _skipped.ToDictionary(p => p.Key, p => p.Value.Count);

    /// <summary>Runs one row's parsing; a bad row throws (not skipping) or is counted (skipping). False when skipped.</summary>
    public bool Row(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (BadRowException e) when (skip)
        {
            _skipped[e.Kind] = _skipped.TryGetValue(e.Kind, out var seen) ? (seen.Count + 1, seen.First) : (1, e.Fault);
            return false;
        }
        catch (BadRowException e)
        {
            throw new InvalidDataException($"{e.Fault} (--skip-bad-rows skips such rows).", e);
        }
    }

    /// <summary>One line per kind skipped, in <see cref="BadRowKind"/> order, with its count and first fault.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var kind in Enum.GetValues<BadRowKind>())
            if (_skipped.TryGetValue(kind, out var s))
                yield return $"Skipped {s.Count:N0} {(s.Count == 1 ? "row" : "rows")} {Describe(kind, s.Count)} (the first: {s.First}).";
    }

    private static string Describe(BadRowKind kind, int count) => kind switch
    {
        BadRowKind.Malformed => count == 1 ? "that is malformed" : "that are malformed",
        BadRowKind.UnknownMovie => "naming a movie the catalogue lacks",
        BadRowKind.RatingOutOfRange => $"with a rating outside {MovieLensLoader.MinRating} to {MovieLensLoader.MaxRating}",
        _ => "repeating an id already listed",
    };
}

/// <summary>One bad row: its kind, and its fault as "path:line: what". Thrown by a row's parsing, caught by <see cref="BadRowPolicy.Row"/>.</summary>
public sealed class BadRowException(BadRowKind kind, string fault) : Exception(fault)
{
    public BadRowKind Kind { get; } = kind;
    public string Fault { get; } = fault;

    public static BadRowException Malformed(string fault) => new(BadRowKind.Malformed, fault);
}
