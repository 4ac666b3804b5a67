namespace Kiln.Server.Configuration;

/// <summary>
/// A parsed oslo.config-style INI file: <c>[section]</c> headers, <c>option = value</c> (or
/// <c>option: value</c>), full-line <c>#</c>/<c>;</c> comments, and indented continuation lines.
/// Section and option names are case-insensitive.
/// </summary>
internal sealed class IniDocument
{
    private readonly OrderedDictionary<string, IniSection> sections;

    private IniDocument(string sourceName, OrderedDictionary<string, IniSection> sections)
    {
        SourceName = sourceName;
        this.sections = sections;
    }

    /// <summary>The file (or other source) the text came from, as used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The sections in order of first appearance.</summary>
    public IEnumerable<IniSection> Sections => sections.Values;

    /// <summary>The section named <paramref name="name"/> in any case, or null.</summary>
    public IniSection? FindSection(string name) => sections.TryGetValue(name, out var section) ? section : null;

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null when either is absent.</summary>
    public string? GetValue(string section, string key) => FindSection(section)?.Find(key)?.Value;

    /// <summary>
    /// Parses <paramref name="text"/>; any line that is not a header, an option, a continuation, a
    /// comment or blank throws <see cref="KilnConfigurationException"/> naming <c>source:line</c>.
    /// </summary>
    public static IniDocument Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);

        var sections = new OrderedDictionary<string, IniSection>(StringComparer.OrdinalIgnoreCase);
        IniSection? current = null;
        IniEntry? open = null;
        var lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');

        for (var index = 0; index < lines.Length; index++)
        {
            var raw = lines[index];
            var lineNumber = index + 1;
            var line = raw.Trim();

            // As in oslo.config, a blank line ends a multi-line value, so an indented line after it
            // is an error rather than a silent addition to an option far above.
            if (line.Length == 0)
            {
                open = null;
                continue;
            }

            // Comments are skipped without ending a multi-line value, so one continuation line can be commented out.
            if (line[0] is '#' or ';')
            {
                continue;
            }

            if (char.IsWhiteSpace(raw[0]))
            {
                if (open is null || current is null)
                {
                    throw Malformed(sourceName, lineNumber, raw, "indented line does not continue an option");
                }

                open = open with { Value = open.Value.Length == 0 ? line : open.Value + "\n" + line };
                current.Set(open);
                continue;
            }

            open = null;
            if (line[0] == '[')
            {
                current = ParseHeader(sections, sourceName, lineNumber, line);
                continue;
            }

            var entry = ParseOption(sourceName, lineNumber, line);
            if (current is null)
            {
                throw Malformed(sourceName, lineNumber, raw, "option appears before any [section] header");
            }

            current.Set(entry);
            open = entry;
        }

        return new IniDocument(sourceName, sections);
    }

    private static IniSection ParseHeader(OrderedDictionary<string, IniSection> sections, string sourceName, int lineNumber, string line)
    {
        if (line[^1] != ']')
        {
            throw Malformed(sourceName, lineNumber, line, "section header must end with ']'");
        }

        var name = line[1..^1].Trim();
        if (name.Length == 0 || name.AsSpan().IndexOfAny("[]") >= 0)
        {
            throw Malformed(sourceName, lineNumber, line, "section name must be non-empty and contain no brackets");
        }

        if (!sections.TryGetValue(name, out var section))
        {
            section = new IniSection(name, lineNumber);
            sections.Add(name, section);
        }

        return section;
    }

    private static IniEntry ParseOption(string sourceName, int lineNumber, string line)
    {
        // The first separator wins, so 'transport_url = rabbit://u:p@h' splits at '=' and
        // 'connection: sqlite:///x' at the first ':'.
        var separator = line.AsSpan().IndexOfAny('=', ':');
        if (separator < 0)
        {
            throw Malformed(sourceName, lineNumber, line, "expected '[section]', 'option = value' or a comment");
        }

        var key = line[..separator].Trim();
        if (key.Length == 0 || key.Any(char.IsWhiteSpace))
        {
            throw Malformed(sourceName, lineNumber, line, "option name must be non-empty and contain no spaces");
        }

        return new IniEntry(key, line[(separator + 1)..].Trim(), lineNumber);
    }

    private static KilnConfigurationException Malformed(string sourceName, int lineNumber, string text, string problem) =>
        new($"{sourceName}:{lineNumber}: {problem}: '{text.Trim()}'");
}
