using System.Text;

namespace MovieRecommender.Artifacts;

/// <summary>Splits one line of RFC 4180 CSV: fields may be quoted, a quoted field may hold commas, and a doubled
/// quote inside it stands for one quote. MovieLens never breaks a field across lines.</summary>
public static class CsvLine
{
    public static List<string> Split(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                        throw new InvalidDataException($"{path}:{lineNumber}: a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                    throw new InvalidDataException($"{path}:{lineNumber}: unexpected '{line[i]}' after a closing quote at column {i + 1}.");
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                        throw new InvalidDataException($"{path}:{lineNumber}: a quote inside an unquoted field at column {i + 1}.");
                    field.Append(line[i++]);
                }
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields;
            i++; // the comma
        }
    }

    /// <summary>A field as <see cref="Split"/> reads it back: quoted (inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
