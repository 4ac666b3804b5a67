namespace Kiln.Server.Identity.Keystone;

// The parts of Keystone's v3 token body Kiln reads ({"token": {...}}); the rest (catalog, methods,
// audit ids, issued_at) is skipped by the deserializer. Everything is nullable: what is missing is
// decided in TokenInfoReader, not by an exception from the parser.

/// <summary>The body of <c>GET</c> and <c>POST /v3/auth/tokens</c>.</summary>
internal sealed record KeystoneTokenEnvelope(KeystoneToken? Token);

/// <summary>One token: expiry, user, scope and roles.</summary>
internal sealed record KeystoneToken(
    DateTimeOffset? ExpiresAt,
    KeystoneUser? User,
    KeystoneProject? Project,
    IReadOnlyList<KeystoneRole>? Roles,
    KeystoneSystemScope? System);

/// <summary>The token's user.</summary>
internal sealed record KeystoneUser(string? Id, string? Name, KeystoneDomain? Domain);

/// <summary>The project a project-scoped token is scoped to.</summary>
internal sealed record KeystoneProject(string? Id, string? Name, KeystoneDomain? Domain);

/// <summary>A domain by id or name; in requests only one of them is set.</summary>
internal sealed record KeystoneDomain(string? Id, string? Name);

/// <summary>A role on the token's scope.</summary>
internal sealed record KeystoneRole(string? Id, string? Name);

/// <summary><c>"system": {"all": true}</c> of a system-scoped token.</summary>
internal sealed record KeystoneSystemScope(bool All);
