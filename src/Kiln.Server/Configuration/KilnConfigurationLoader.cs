using System.Collections;

namespace Kiln.Server.Configuration;

/// <summary>Loads kiln.conf (or the embedded defaults), applies KILN__section__option environment overrides, and validates the result.</summary>
public static class KilnConfigurationLoader
{
    /// <summary>
    /// Reads <paramref name="path"/>, or the embedded defaults when it is null, then applies the
    /// <c>KILN__</c> variables of <paramref name="environment"/> (others are ignored).
    /// Throws <see cref="KilnConfigurationException"/> with one line naming the file, section and option at fault.
    /// </summary>
    public static KilnConfiguration Load(string? path, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (text, sourceName, sourcePath) = path is null
            ? (EmbeddedDefaults.Text, EmbeddedDefaults.SourceName, null)
            : Read(path);

        var options = ConfiguredOptions.From(IniDocument.Parse(text, sourceName));
        var warnings = new List<string>();
        EnvironmentOverrides.Apply(options, environment, warnings);
        return KilnConfigurationReader.Read(options, sourceName, sourcePath, warnings);
    }

    /// <summary>The process environment's <c>KILN__</c> variables.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvironment() =>
        Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => (Name: (string)e.Key, Value: e.Value as string ?? string.Empty))
            .Where(e => EnvironmentOverrides.IsKilnVariable(e.Name))
            .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);

    private static (string Text, string SourceName, string? SourcePath) Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new KilnConfigurationException("the configuration file path is empty");
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new KilnConfigurationException($"{path}: not a valid configuration file path: {e.Message}", e);
        }

        if (Directory.Exists(fullPath))
        {
            throw new KilnConfigurationException($"{fullPath}: is a directory, not a configuration file");
        }

        try
        {
            return (File.ReadAllText(fullPath), fullPath, fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new KilnConfigurationException($"{fullPath}: cannot read the configuration file: {e.Message}", e);
        }
    }
}
