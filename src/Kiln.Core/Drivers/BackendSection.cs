using System.Globalization;
using Kiln.Core.Errors;

namespace Kiln.Core.Drivers;

/// <summary>
/// The options of one backend section of kiln.conf, already merged with [DEFAULT] where the option
/// may be inherited. Typed getters throw <see cref="DriverConfigurationException"/> naming section and option.
/// </summary>
public sealed class BackendSection
{
    private readonly IReadOnlyDictionary<string, string> values;

    public BackendSection(string name, IReadOnlyDictionary<string, string> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        this.values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The section name, which is also the backend name in <c>host@backend</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Other sections of kiln.conf this backend's driver reads besides its own, by section name (empty for Kiln's own
    /// drivers). An upstream Cinder driver reads [DEFAULT] and [backend_defaults] as under cinder-volume, so a change in
    /// them is a change of its section (docs/drivers/cinder.md).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SharedSections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every option set for this backend.</summary>
    public IEnumerable<string> Keys => values.Keys;

    /// <summary>The raw value, or null when the option is not set.</summary>
    public string? GetString(string option) => values.TryGetValue(option, out var value) ? value : null;

    /// <summary>The raw value, or <paramref name="defaultValue"/> when unset.</summary>
    public string GetString(string option, string defaultValue) => GetString(option) ?? defaultValue;

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int GetInt32(string option, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = GetString(option);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw DriverConfigurationException.InvalidOption(Name, option, raw, "expected an integer");
        }

        if (value < min || value > max)
        {
            throw DriverConfigurationException.InvalidOption(Name, option, raw, RangeText(min, max));
        }

        return value;
    }

    /// <summary>A number of seconds (fractions allowed) within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TimeSpan GetSeconds(string option, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var raw = GetString(option);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
        {
            throw DriverConfigurationException.InvalidOption(Name, option, raw, "expected a number of seconds");
        }

        if (seconds < min.TotalSeconds || seconds > max.TotalSeconds)
        {
            throw DriverConfigurationException.InvalidOption(Name, option, raw, $"expected seconds between {min.TotalSeconds} and {max.TotalSeconds}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A boolean written as true/false, yes/no, on/off or 1/0.</summary>
    public bool GetBoolean(string option, bool defaultValue)
    {
        var raw = GetString(option);
        return raw?.Trim().ToUpperInvariant() switch
        {
            null => defaultValue,
            "TRUE" or "YES" or "ON" or "1" => true,
            "FALSE" or "NO" or "OFF" or "0" => false,
            _ => throw DriverConfigurationException.InvalidOption(Name, option, raw, "expected true or false"),
        };
    }

    private static string RangeText(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => "expected an integer",
        (_, int.MaxValue) => $"expected an integer >= {min}",
        (int.MinValue, _) => $"expected an integer <= {max}",
        _ => $"expected an integer between {min} and {max}",
    };
}
