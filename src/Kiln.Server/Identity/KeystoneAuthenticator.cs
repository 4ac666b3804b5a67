using Kiln.Server.Configuration;
using Kiln.Server.Identity.Keystone;

namespace Kiln.Server.Identity;

/// <summary>
/// <c>auth_strategy = keystone</c>: the caller is whoever Keystone says the <c>X-Auth-Token</c>
/// belongs to, as keystonemiddleware's auth_token would tell Cinder. No token or a refused one is
/// 401 with <c>WWW-Authenticate: Keystone uri="…"</c>; Keystone unreachable for a token not in the
/// cache is 503 (fail closed). <c>is_admin</c> is policy's <c>context_is_admin</c>, as in Cinder.
/// </summary>
internal sealed class KeystoneAuthenticator(ITokenValidator validator, KeystoneOptions options, RequestAuthorizer authorizer) : IRequestAuthenticator
{
    /// <summary>keystonemiddleware's message for a missing or refused token.</summary>
    public const string RequiresAuthentication = "The request you have made requires authentication.";

    public string? Challenge => $"Keystone uri=\"{options.WwwAuthenticateUri}\"";

    public async ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, string? urlProject, CancellationToken cancellationToken)
    {
        var token = request.Headers["X-Auth-Token"].ToString().Trim();
        if (token.Length == 0)
        {
            return new AuthenticationOutcome.Unauthenticated(RequiresAuthentication);
        }

        switch (await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false))
        {
            case TokenValidation.Valid valid:
                var info = valid.Token;
                var context = new RequestContext(info.UserId, info.ProjectId ?? string.Empty, info.Roles, IsAdmin: false)
                {
                    UserDomainId = info.UserDomainId,
                    ProjectDomainId = info.ProjectDomainId,
                    SystemScopeAll = info.SystemScopeAll,
                };
                return new AuthenticationOutcome.Authenticated(context with { IsAdmin = authorizer.IsAdmin(context) });
            case TokenValidation.Unavailable:
                // keystonemiddleware's words: the reason (Keystone's address, the socket error) is logged, not told to callers.
                return new AuthenticationOutcome.Unavailable("The Keystone service is temporarily unavailable.");
            default:
                return new AuthenticationOutcome.Unauthenticated(RequiresAuthentication);
        }
    }
}
