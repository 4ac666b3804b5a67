namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// What Keystone says about a valid token: its user, its scope (a project, or the whole system) and
/// its role names, implied roles included. Roles compare case-insensitively, as oslo.policy does.
/// </summary>
internal sealed record TokenInfo(
    string UserId,
    string? UserName,
    string? UserDomainId,
    string? ProjectId,
    string? ProjectName,
    string? ProjectDomainId,
    IReadOnlySet<string> Roles,
    DateTimeOffset ExpiresAt,
    bool SystemScopeAll);
