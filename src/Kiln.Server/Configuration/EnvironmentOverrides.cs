namespace Kiln.Server.Configuration;

/// <summary>
/// Applies <c>KILN__section__option=value</c> environment variables over the file's values, before
/// validation, so a bad value from the environment is reported exactly like one from the file.
/// </summary>
internal static class EnvironmentOverrides
{
    /// <summary>The prefix of every variable Kiln reads.</summary>
    public const string Prefix = "KILN__";

    private const string Separator = "__";

    /// <summary>
    /// Applies each <c>KILN__</c> variable of <paramref name="environment"/>; other variables are ignored,
    /// and a <c>KILN__</c> name without exactly one section and one option adds a warning.
    /// </summary>
    public static void Apply(ConfiguredOptions options, IReadOnlyDictionary<string, string> environment, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(warnings);

        // Names are case-insensitive, so two variables can aim at one option; refuse rather than let
        // the environment's enumeration order pick the winner.
        var applied = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment.Where(v => IsKilnVariable(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var parts = name[Prefix.Length..].Split(Separator);
            if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
            {
                warnings.Add($"environment variable {name} is ignored: expected {Prefix}<section>{Separator}<option>");
                continue;
            }

            var (section, option) = (parts[0], parts[1]);
            if (!applied.TryAdd($"{section}{Separator}{option}", name))
            {
                throw new KilnConfigurationException(
                    $"environment variables {applied[$"{section}{Separator}{option}"]} and {name} both set [{section}] {option}; set only one");
            }

            options.Set(section, new ConfiguredOption(option, value.Trim(), $"environment variable {name}"));
        }
    }

    /// <summary>Whether <paramref name="name"/> is a variable Kiln reads.</summary>
    public static bool IsKilnVariable(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
