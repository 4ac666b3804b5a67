namespace Kiln.Server.Configuration;

/// <summary>Parses <c>enabled_backends</c>: comma-separated backend names, each also a section name and the part after '@' in <c>host@backend</c>.</summary>
internal static class BackendNames
{
    /// <summary>The names in order; empty items (a trailing comma) are skipped, duplicates are refused.</summary>
    public static Parsed<IReadOnlyList<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in text.Split(','))
        {
            var name = item.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return Parsed<IReadOnlyList<string>>.Invalid($"backend name '{name}' may contain only letters, digits, '.', '_' and '-'");
            }

            if (string.Equals(name, OptionNames.DefaultSection, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, OptionNames.DatabaseSection, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, KeystoneOptionNames.Section, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, OptionNames.OsloMiddlewareSection, StringComparison.OrdinalIgnoreCase))
            {
                return Parsed<IReadOnlyList<string>>.Invalid($"'{name}' is a reserved section name and cannot be a backend");
            }

            // Section names are case-insensitive, so 'fast' and 'FAST' would share one section.
            if (!seen.Add(name))
            {
                return Parsed<IReadOnlyList<string>>.Invalid($"backend '{name}' is listed more than once");
            }

            names.Add(name);
        }

        return Parsed<IReadOnlyList<string>>.Ok(names.AsReadOnly());
    }
}
