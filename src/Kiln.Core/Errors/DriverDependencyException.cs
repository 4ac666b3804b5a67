namespace Kiln.Core.Errors;

/// <summary>A library, tool or binary the driver needs (for example qemu-img) is missing.</summary>
public sealed class DriverDependencyException : UnrecoverableDriverException
{
    public DriverDependencyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
