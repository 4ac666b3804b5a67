namespace Kiln.Server.Identity;

/// <summary>
/// <c>auth_strategy = noauth</c>, as Cinder's NoAuthMiddleware: every caller is an administrator. A
/// token <c>user:project</c> names the caller (python-cinderclient's noauth mode sends one); without
/// it Kiln takes <c>X-Project-Id</c>, else the URL's project, else <c>admin</c>, so plain
/// <c>curl</c> against <c>/v3/admin/…</c> keeps working. Only for loopback (KilnConfiguration refuses
/// noauth on other addresses unless told otherwise).
/// </summary>
internal sealed class NoAuthAuthenticator : IRequestAuthenticator
{
    /// <summary>The user and project of a request that names none.</summary>
    public const string DefaultName = "admin";

    private static readonly IReadOnlySet<string> AdminRoles = new HashSet<string>(["admin", "member", "reader"], StringComparer.OrdinalIgnoreCase);

    public string? Challenge => null;

    public ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, string? urlProject, CancellationToken cancellationToken)
    {
        var token = request.Headers["X-Auth-Token"].ToString().Trim();
        string user;
        string? project = null;
        if (token.Length > 0)
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            user = colon < 0 ? token : token[..colon];
            project = colon < 0 || colon == token.Length - 1 ? user : token[(colon + 1)..];
        }
        else
        {
            user = DefaultName;
        }

        var header = request.Headers["X-Project-Id"].ToString().Trim();
        project ??= header.Length > 0 ? header : urlProject ?? DefaultName;
        return ValueTask.FromResult<AuthenticationOutcome>(
            new AuthenticationOutcome.Authenticated(new RequestContext(user.Length > 0 ? user : DefaultName, project, AdminRoles, IsAdmin: true)));
    }
}
