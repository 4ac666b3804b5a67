namespace Kiln.Server.Configuration;

/// <summary>
/// One section of an INI document. Headers that differ only in case, or repeat, are one section;
/// a later duplicate option replaces the earlier one.
/// </summary>
internal sealed class IniSection
{
    private readonly OrderedDictionary<string, IniEntry> entries = new(StringComparer.OrdinalIgnoreCase);

    public IniSection(string name, int line)
    {
        Name = name;
        Line = line;
    }

    /// <summary>The name as first written.</summary>
    public string Name { get; }

    /// <summary>The line of the first header of this section.</summary>
    public int Line { get; }

    /// <summary>The options in order of first appearance, each with its last value.</summary>
    public IEnumerable<IniEntry> Entries => entries.Values;

    /// <summary>The option named <paramref name="key"/> in any case, or null.</summary>
    public IniEntry? Find(string key) => entries.TryGetValue(key, out var entry) ? entry : null;

    internal void Set(IniEntry entry) => entries[entry.Key] = entry;
}
