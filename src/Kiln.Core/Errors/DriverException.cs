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
}
