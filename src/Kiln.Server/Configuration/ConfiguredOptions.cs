namespace Kiln.Server.Configuration;

/// <summary>Every section and option of the configuration: the file's values with environment overrides applied.</summary>
internal sealed class ConfiguredOptions
{
    private readonly OrderedDictionary<string, ConfiguredSection> sections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The sections in order of first appearance (file first, then environment).</summary>
    public IEnumerable<ConfiguredSection> Sections => sections.Values;

    /// <summary>The section named <paramref name="name"/> in any case, or null.</summary>
    public ConfiguredSection? FindSection(string name) => sections.TryGetValue(name, out var section) ? section : null;

    /// <summary>The values of <paramref name="document"/>, each with its <c>file:line</c> origin.</summary>
    public static ConfiguredOptions From(IniDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var result = new ConfiguredOptions();
        foreach (var section in document.Sections)
        {
            var target = result.GetOrAdd(section.Name, $"{document.SourceName}:{section.Line}");
            foreach (var entry in section.Entries)
            {
                target.Set(new ConfiguredOption(entry.Key, entry.Value, $"{document.SourceName}:{entry.Line}"));
            }
        }

        return result;
    }

    /// <summary>Sets (or adds) one option, creating its section when needed.</summary>
    public void Set(string section, ConfiguredOption option) => GetOrAdd(section, option.Origin).Set(option);

    private ConfiguredSection GetOrAdd(string name, string origin)
    {
        if (!sections.TryGetValue(name, out var section))
        {
            section = new ConfiguredSection(name, origin);
            sections.Add(name, section);
        }

        return section;
    }
}
