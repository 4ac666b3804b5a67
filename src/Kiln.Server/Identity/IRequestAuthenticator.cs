namespace Kiln.Server.Identity;

/// <summary>Turns a request's credentials into a <see cref="RequestContext"/> (Cinder's <c>auth_strategy</c>).</summary>
internal interface IRequestAuthenticator
{
    /// <summary>The value of <c>WWW-Authenticate</c> on a 401, or null when the strategy has none.</summary>
    string? Challenge { get; }

    /// <summary>Authenticates <paramref name="request"/>; <paramref name="urlProject"/> is the project named by the URL, if any.</summary>
    ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, string? urlProject, CancellationToken cancellationToken);
}
