using System.Net;

namespace Kiln.Cli.Client;

/// <summary>The API answered with an error status; <see cref="Exception.Message"/> is the message of Cinder's fault body.</summary>
internal sealed class KilnApiException : Exception
{
    public KilnApiException()
        : this(HttpStatusCode.InternalServerError, "the request failed")
    {
    }

    public KilnApiException(string message)
        : this(HttpStatusCode.InternalServerError, message)
    {
    }

    public KilnApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
    }

    public KilnApiException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The answer's <c>WWW-Authenticate</c> header (with a 401: <c>Keystone uri="…"</c>), or null.</summary>
    public string? Challenge { get; init; }
}
