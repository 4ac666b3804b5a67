namespace Kiln.Core.Errors;

/// <summary>A missing or invalid option; names the option (and section when known) in its message.</summary>
public sealed class DriverConfigurationException : UnrecoverableDriverException
{
    public DriverConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Builds the standard message for an option whose value cannot be used.</summary>
    public static DriverConfigurationException InvalidOption(string section, string option, string? value, string expected) =>
        new($"[{section}] {option} = '{value}' is invalid: {expected}");
}
