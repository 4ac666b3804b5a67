namespace Kiln.Server.Configuration;

/// <summary>
/// Where the running configuration came from (the file given to <c>kiln serve --config</c>, or the
/// embedded defaults, plus the <c>KILN__</c> environment), so backends can read their sections again
/// after an operator edits the file.
/// </summary>
public sealed class KilnConfigurationSource(string? path, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The file read, or null for the embedded defaults.</summary>
    public string? Path => path;

    /// <summary>The source of <paramref name="configuration"/>, with this process's environment.</summary>
    public static KilnConfigurationSource For(KilnConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KilnConfigurationSource(configuration.SourcePath, KilnConfigurationLoader.ReadEnvironment());
    }

    /// <summary>Reads and validates the configuration again, exactly as at start-up; throws <see cref="KilnConfigurationException"/>.</summary>
    public KilnConfiguration Load() => KilnConfigurationLoader.Load(path, environment);
}
