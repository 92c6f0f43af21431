using System.Text.Json;

namespace MovieRecommender.Contracts;

/// <summary>
/// An id in a JSON body that is neither a string nor an integer number (<see cref="JsonIdConverter"/>). The HTTP API
/// answers it as a bad parameter named by the exception's <see cref="JsonException.Path"/> (<c>$.ratings[3].movieId</c>),
/// not as an unreadable body: the body is JSON, one value in it is wrong.
/// </summary>
public sealed class JsonIdException(string got) : JsonException($"An id is a positive integer, as a JSON number or string; got {got}.")
{
    /// <summary>What was sent instead, as a message shows it: <c>5.5, not a whole number</c>, <c>true</c>, <c>an object</c>.</summary>
    public string Got { get; } = got;
}
