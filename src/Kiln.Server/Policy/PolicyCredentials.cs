namespace Kiln.Server.Policy;

/// <summary>
/// The caller as policy sees it (oslo.policy's "creds"). <paramref name="IsAdmin"/> is Cinder's
/// <c>is_admin</c>, which Cinder sets from the <c>context_is_admin</c> rule (see
/// <see cref="PolicyEnforcer.IsContextAdmin"/>). <paramref name="IsAdminProject"/> is Keystone's
/// <c>is_admin_project</c>, true unless Keystone's admin project is configured and the token is
/// scoped elsewhere; Cinder's <c>admin_api</c> rule reads it.
/// </summary>
internal sealed record PolicyCredentials(
    string? UserId,
    string? ProjectId,
    IReadOnlySet<string> Roles,
    bool IsAdmin,
    string? UserDomainId = null,
    string? ProjectDomainId = null,
    bool SystemScopeAll = false,
    bool IsAdminProject = true);
