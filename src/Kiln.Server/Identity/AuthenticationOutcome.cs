namespace Kiln.Server.Identity;

/// <summary>What an authenticator decided about one request.</summary>
internal abstract record AuthenticationOutcome
{
    private AuthenticationOutcome()
    {
    }

    /// <summary>The caller is known.</summary>
    public sealed record Authenticated(RequestContext Context) : AuthenticationOutcome;

    /// <summary>No token, or a token the identity service refused: 401.</summary>
    public sealed record Unauthenticated(string Message) : AuthenticationOutcome;

    /// <summary>The identity service could not be asked: 503, fail closed.</summary>
    public sealed record Unavailable(string Message) : AuthenticationOutcome;
}
