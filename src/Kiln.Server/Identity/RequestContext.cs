namespace Kiln.Server.Identity;

/// <summary>
/// Who is calling, as Cinder's request context carries it: the user, the project the token is
/// scoped to, the roles, and whether policy counts the caller as an administrator.
/// </summary>
internal sealed record RequestContext(string UserId, string ProjectId, IReadOnlySet<string> Roles, bool IsAdmin)
{
    private const string ItemKey = "kiln.request_context";

    /// <summary>The user's domain, when the identity service said.</summary>
    public string? UserDomainId { get; init; }

    /// <summary>The project's domain, when the identity service said.</summary>
    public string? ProjectDomainId { get; init; }

    /// <summary>True for a token scoped to the whole system rather than to a project.</summary>
    public bool SystemScopeAll { get; init; }

    /// <summary>The context of a request that passed the identity middleware.</summary>
    public static RequestContext Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var value) && value is RequestContext context
            ? context
            : throw new InvalidOperationException("The request has no identity: the identity middleware did not run for this path.");

    /// <summary>The context, or null for paths the identity middleware does not cover (versions, health).</summary>
    public static RequestContext? Find(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var value) ? value as RequestContext : null;

    /// <summary>Attaches this context to the request.</summary>
    public void AttachTo(HttpContext http) => http.Items[ItemKey] = this;
}
