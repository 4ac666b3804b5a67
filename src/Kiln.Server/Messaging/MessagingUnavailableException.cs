namespace Kiln.Server.Messaging;

/// <summary>A message could not be handed to the broker in time: the request that sent it fails and may be tried again.</summary>
public sealed class MessagingUnavailableException : Exception
{
    public MessagingUnavailableException()
    {
    }

    public MessagingUnavailableException(string message)
        : base(message)
    {
    }

    public MessagingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
