using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MovieRecommender.Contracts;

/// <summary>
/// Reads an id given as a JSON string (<c>"50"</c>) or integer number (<c>50</c>) into the same string, so a client
/// may write either; writes it back as a string. A number keeps its digits as written (<c>-3</c> reads as <c>"-3"</c>,
/// which the route then refuses as it refuses the string). A fraction, a bool, an object or an array is not an id
/// under any reading: a <see cref="JsonIdException"/> saying what was sent.
/// </summary>
public sealed class JsonIdConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Integer(ref reader),
        JsonTokenType.True => throw new JsonIdException("true"),
        JsonTokenType.False => throw new JsonIdException("false"),
        JsonTokenType.StartObject => throw new JsonIdException("an object"),
        JsonTokenType.StartArray => throw new JsonIdException("an array"),
        _ => throw new JsonIdException($"a JSON {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>The number's own text when it is an integer (digits, an optional minus), else refused: 5.5, 5e1 and 50.0 are not ids.</summary>
    private static string Integer(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        var text = Encoding.UTF8.GetString(raw);
        var digits = text.StartsWith('-') ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) throw new JsonIdException($"{text}, not a whole number");
        return text;
    }
}
