namespace Kiln.Server.Configuration;

/// <summary>
/// Reads typed global options from one section; an unusable value throws
/// <see cref="KilnConfigurationException"/> naming origin, section, option, value and what was expected.
/// </summary>
internal sealed class SectionReader(string sectionName, ConfiguredSection? section)
{
    /// <summary>The option as configured, or null when unset.</summary>
    public ConfiguredOption? Find(string option) => section?.Find(option);

    /// <summary>The parsed value, or <paramref name="defaultValue"/> when the option is unset.</summary>
    public T Read<T>(string option, T defaultValue, Func<string, Parsed<T>> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (Find(option) is not { } configured)
        {
            return defaultValue;
        }

        var parsed = parse(configured.Value);
        return parsed.IsValid ? parsed.Value : throw Invalid(configured, parsed.Expected!);
    }

    /// <summary>The value, or null when the option is unset or empty (so the environment can clear a file's value).</summary>
    public string? ReadOptional(string option) => Find(option) is { Value.Length: > 0 } configured ? configured.Value : null;

    /// <summary>The standard error for <paramref name="option"/> in this section.</summary>
    public KilnConfigurationException Invalid(ConfiguredOption option, string expected)
    {
        ArgumentNullException.ThrowIfNull(option);
        return KilnConfigurationException.InvalidOption(option.Origin, sectionName, option.Name, option.Value, expected);
    }
}
