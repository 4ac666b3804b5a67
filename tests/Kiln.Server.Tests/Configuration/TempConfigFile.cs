using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

/// <summary>A kiln.conf written to its own temporary directory, removed on dispose.</summary>
internal sealed class TempConfigFile : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kiln-config-");

    public TempConfigFile(string text)
    {
        Path = System.IO.Path.Combine(directory.FullName, "kiln.conf");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public string DirectoryPath => directory.FullName;

    /// <summary>Writes <paramref name="text"/> and loads it with <paramref name="environment"/>.</summary>
    public static KilnConfiguration Load(string text, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var file = new TempConfigFile(text);
        return KilnConfigurationLoader.Load(file.Path, environment ?? NoEnvironment);
    }

    /// <summary>Writes <paramref name="text"/>, expects loading to fail, and returns the message and the file's path.</summary>
    public static (string Message, string Path) LoadFails(string text, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var file = new TempConfigFile(text);
        var exception = Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(file.Path, environment ?? NoEnvironment));
        return (exception.Message, file.Path);
    }

    public void Dispose() => directory.Delete(recursive: true);
}
