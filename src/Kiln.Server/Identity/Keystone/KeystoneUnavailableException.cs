namespace Kiln.Server.Identity.Keystone;

/// <summary>Keystone cannot settle a validation now; the message says why and becomes the Unavailable reason.</summary>
internal sealed class KeystoneUnavailableException : Exception
{
    public KeystoneUnavailableException()
        : base("Keystone is unavailable")
    {
    }

    public KeystoneUnavailableException(string message)
        : base(message)
    {
    }

    public KeystoneUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
