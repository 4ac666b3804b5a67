namespace Kiln.Server.Configuration;

/// <summary>kiln.conf (or a KILN__ environment variable) cannot be used; the message is one line naming where and what.</summary>
public sealed class KilnConfigurationException : Exception
{
    public KilnConfigurationException()
        : base("the configuration is invalid")
    {
    }

    public KilnConfigurationException(string message)
        : this(message, null)
    {
    }

    public KilnConfigurationException(string message, Exception? innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>
    /// The standard message for a value that cannot be used:
    /// <c>origin: [section] option = 'value' is invalid: expected</c>.
    /// </summary>
    internal static KilnConfigurationException InvalidOption(string origin, string section, string option, string value, string expected) =>
        new($"{origin}: [{section}] {option} = '{value}' is invalid: {expected}");

    // Start-up failures are printed as a single line and grepped in logs; a multi-line option value
    // must not break the message into pieces that no longer name the option.
    private static string OneLine(string message) =>
        message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
