namespace Kiln.Core.Errors;

/// <summary>A driver call did not finish within <c>driver_init_timeout</c>; recoverable.</summary>
public sealed class DriverTimeoutException : DriverException
{
    public DriverTimeoutException(string operation, TimeSpan timeout, string option = "driver_init_timeout")
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{operation} did not finish within {timeout.TotalSeconds:0.###} s ({option})"))
    {
        Operation = operation;
        Timeout = timeout;
    }

    /// <summary>The driver call that timed out.</summary>
    public string Operation { get; }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; }
}
