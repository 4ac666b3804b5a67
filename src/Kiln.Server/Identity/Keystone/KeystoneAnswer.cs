using System.Net;

namespace Kiln.Server.Identity.Keystone;

/// <summary>Keystone's answer to one call: its status, and for a success the token header and body.</summary>
internal sealed record KeystoneAnswer(HttpStatusCode Status, string? SubjectToken, KeystoneToken? Token)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The status as an operator reads it in a log line: <c>404 NotFound</c>.</summary>
    public string StatusText => $"{(int)Status} {Status}";
}
