using Kiln.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// noauth, plus a way to call as an ordinary user: the token <c>member</c> (or <c>reader</c>) makes the
/// caller a non-admin with that role in the URL's project. Every other request is noauth's admin.
/// </summary>
internal sealed class TestAuthenticator : IRequestAuthenticator
{
    private readonly NoAuthAuthenticator noAuth = new();

    public string? Challenge => null;

    public ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, string? urlProject, CancellationToken cancellationToken)
    {
        var token = request.Headers["X-Auth-Token"].ToString();
        IReadOnlySet<string>? roles = token switch
        {
            "member" => new HashSet<string>(["member", "reader"], StringComparer.OrdinalIgnoreCase),
            "reader" => new HashSet<string>(["reader"], StringComparer.OrdinalIgnoreCase),
            _ => null,
        };
        if (roles is null)
        {
            return noAuth.AuthenticateAsync(request, urlProject, cancellationToken);
        }

        var project = urlProject ?? request.Headers["X-Project-Id"].ToString();
        return ValueTask.FromResult<AuthenticationOutcome>(
            new AuthenticationOutcome.Authenticated(new RequestContext($"{token}-user", project, roles, IsAdmin: false)));
    }
}
