namespace Kiln.Cli.Identity;

/// <summary>How the client authenticates, chosen from <c>OS_AUTH_TYPE</c> or, without it, from the variables set.</summary>
internal enum AuthType
{
    /// <summary>No token: Kiln's <c>noauth</c>, the project is the one in the URL.</summary>
    None,

    /// <summary>Keystone v3 <c>password</c> method: a user's name or id and password, scoped to a project.</summary>
    Password,

    /// <summary>Keystone v3 <c>token</c> method: an existing token exchanged for a project-scoped one with a catalog.</summary>
    Token,

    /// <summary>An existing token sent as it is to an endpoint given with <c>OS_ENDPOINT</c>; Keystone is not asked.</summary>
    AdminToken,
}
