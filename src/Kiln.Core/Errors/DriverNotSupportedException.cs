namespace Kiln.Core.Errors;

/// <summary>The driver refuses to run on this platform, firmware or storage.</summary>
public sealed class DriverNotSupportedException : UnrecoverableDriverException
{
    public DriverNotSupportedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
