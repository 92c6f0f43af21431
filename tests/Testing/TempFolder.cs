using System.Text;

namespace MovieRecommender.Testing;

/// <summary>A folder under the system temp directory, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("recommender-tests-").FullName;

    /// <summary>Writes a text file (UTF-8 without a byte order mark unless told otherwise) into the folder; returns its path.</summary>
    public string Write(string name, string text, Encoding? encoding = null)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text, encoding ?? new UTF8Encoding(false));
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
