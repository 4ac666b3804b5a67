namespace Kiln.Benchmarks.Infrastructure;

/// <summary>A scratch directory for one scenario, deleted when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TempDirectory, bool> Live = new();
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kiln-bench-");

    public TempDirectory() => Live[this] = true;

    /// <summary>Deletes every scratch directory not disposed yet (the run was interrupted).</summary>
    public static void DeleteAll()
    {
        foreach (var directory in Live.Keys)
        {
            directory.Dispose();
        }
    }

    public string Path => directory.FullName;

    public string File(string name) => System.IO.Path.Combine(directory.FullName, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes a file in one step (temporary file, then rename), as the fault driver's docs ask.</summary>
    public void Replace(string name, string text)
    {
        var temporary = File(name + ".tmp");
        System.IO.File.WriteAllText(temporary, text);
        System.IO.File.Move(temporary, File(name), overwrite: true);
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A process that is still shutting down may hold a file; the OS cleans /tmp eventually.
        }
    }
}
