namespace Kiln.Core.Errors;

/// <summary>Any failure of a volume driver; recoverable (retried by re-initialization) unless a subtype says otherwise.</summary>
public class DriverException : Exception
{
    public DriverException()
    {
    }

    public DriverException(string message)
        : base(message)
    {
    }

    public DriverException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The driver instance can take no more calls: its process ended or was killed. Every later call on the same
    /// instance fails the same way, so a caller working through a list (the re-exports at initialization) stops
    /// instead of blaming each remaining item. Still recoverable: the next attempt has a fresh instance.
    /// </summary>
    public bool DriverGone { get; init; }
}
