namespace Kiln.Server.Configuration;

/// <summary>One section's options after environment overrides; names are case-insensitive.</summary>
internal sealed class ConfiguredSection
{
    private readonly OrderedDictionary<string, ConfiguredOption> options = new(StringComparer.OrdinalIgnoreCase);

    public ConfiguredSection(string name, string origin)
    {
        Name = name;
        Origin = origin;
    }

    /// <summary>The name as first written.</summary>
    public string Name { get; }

    /// <summary>Where the section was first declared.</summary>
    public string Origin { get; }

    /// <summary>The options in order of first appearance.</summary>
    public IEnumerable<ConfiguredOption> Options => options.Values;

    /// <summary>The option named <paramref name="name"/> in any case, or null.</summary>
    public ConfiguredOption? Find(string name) => options.TryGetValue(name, out var option) ? option : null;

    /// <summary>The raw values by option name.</summary>
    public Dictionary<string, string> ToDictionary() =>
        options.Values.ToDictionary(o => o.Name, o => o.Value, StringComparer.OrdinalIgnoreCase);

    internal void Set(ConfiguredOption option) => options[option.Name] = option;
}
