namespace Kiln.Core.Errors;

/// <summary>A driver failure that no retry can fix; the backend is never re-initialized automatically.</summary>
public abstract class UnrecoverableDriverException : DriverException
{
    protected UnrecoverableDriverException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
