using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Identity;

/// <summary>
/// How to authenticate, as read from the <c>OS_*</c> variables by <see cref="AuthSettingsReader"/>.
/// Holds the password and the token: <see cref="ToString"/> and <see cref="Describe"/> never show them.
/// </summary>
internal sealed record AuthSettings
{
    public static AuthSettings NoAuth { get; } = new() { Type = AuthType.None };

    public required AuthType Type { get; init; }

    /// <summary>Keystone's address (<c>OS_AUTH_URL</c>), with or without <c>/v3</c>.</summary>
    public Uri? AuthUrl { get; init; }

    public NamedRef? User { get; init; }

    /// <summary>The user's domain; only sent with a user name (a user id is unique across domains).</summary>
    public NamedRef? UserDomain { get; init; }

    public string? Password { get; init; }

    /// <summary>The project the token is scoped to; null asks Keystone for the user's default project.</summary>
    public NamedRef? Project { get; init; }

    /// <summary>The project's domain; only sent with a project name.</summary>
    public NamedRef? ProjectDomain { get; init; }

    public string? Token { get; init; }

    public string? Region { get; init; }

    /// <summary><c>public</c>, <c>internal</c> or <c>admin</c>: which of the catalog's endpoints to use.</summary>
    public string Interface { get; init; } = OpenStackVariables.DefaultInterface;

    /// <summary><c>OS_ENDPOINT</c>, when it applies: with <see cref="AuthType.AdminToken"/> or an explicit <c>OS_AUTH_TYPE=none</c>.</summary>
    public KilnUrl? Endpoint { get; init; }

    /// <summary>The variables the settings were read from, in the order read, for messages.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    /// <summary>Whether a token is asked of Keystone (and the endpoint found in its catalog).</summary>
    public bool UsesKeystone => Type is AuthType.Password or AuthType.Token;

    /// <summary>Who asks for which project, without secrets: <c>password of user 'demo' in domain 'Default' for project 'demo' in domain id 'default'</c>.</summary>
    public string Describe()
    {
        var who = Type == AuthType.Password
            ? $"password of user {User}{(User?.Id is null && UserDomain is not null ? $" in domain {UserDomain}" : string.Empty)}"
            : $"the token in {OpenStackVariables.Token}";
        var scope = Project is null
            ? "for the user's default project"
            : $"for project {Project}{(Project.Id is null && ProjectDomain is not null ? $" in domain {ProjectDomain}" : string.Empty)}";
        return $"{who} {scope}";
    }

    public override string ToString() =>
        $"AuthSettings {{ Type = {Type}, AuthUrl = {AuthUrl}, {Describe()}, Region = {Region}, Interface = {Interface} }}";
}
