using Kiln.Cli.Commands.Common;
using V = Kiln.Cli.Identity.OpenStackVariables;

namespace Kiln.Cli.Identity;

/// <summary>
/// Reads the <c>OS_*</c> variables as openstackclient does (osc-lib's <c>OSC_Config</c> on top of
/// keystoneauth): the auth type from <c>OS_AUTH_TYPE</c>, else from what is set; for password
/// authentication the user's and the project's domain default to <c>OS_DEFAULT_DOMAIN</c>, else the id
/// <c>default</c>. Without <c>OS_AUTH_URL</c> (and no <c>OS_TOKEN</c> + <c>OS_ENDPOINT</c>) it is noauth,
/// as before Keystone support. Settings that cannot work are usage errors naming the variables.
/// </summary>
internal static class AuthSettingsReader
{
    private static readonly string[] Interfaces = ["public", "internal", "admin"];

    public static AuthSettings Read(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var read = new VariableSet(environment);
        var typeText = read.Get(V.AuthType);
        var type = Select(typeText, read);
        return type switch
        {
            AuthType.None => AuthSettings.NoAuth with
            {
                // openstacksdk: with auth type none, OS_ENDPOINT is every service's endpoint. Without
                // OS_AUTH_TYPE it is ignored, so a shell without OS_AUTH_URL keeps the noauth of before.
                Endpoint = typeText is null || read.Get(V.Endpoint) is not { } endpoint ? null : KilnUrl.Parse(endpoint, V.Endpoint),
            },
            AuthType.AdminToken => new AuthSettings
            {
                Type = type,
                Token = Required(read, V.Token, $"{V.AuthType}=admin_token needs the token to send"),
                Endpoint = KilnUrl.Parse(Required(read, V.Endpoint, $"{V.AuthType}=admin_token needs the endpoint to send the token to"), V.Endpoint),
                Variables = read.Used,
            },
            _ => ReadKeystone(type, read),
        };
    }

    /// <summary>osc-lib's choice: a user means password, else a token means token, else password.</summary>
    private static AuthType Select(string? typeText, VariableSet read) => typeText?.ToLowerInvariant() switch
    {
        // openstackclient: "When --os-token and --os-endpoint are both present the token_endpoint auth type is selected".
        null when read.Peek(V.Token) is not null && read.Peek(V.Endpoint) is not null => AuthType.AdminToken,
        null when read.Peek(V.AuthUrl) is null => AuthType.None,
        null when read.Peek(V.Username) is not null || read.Peek(V.UserId) is not null => AuthType.Password,
        null when read.Peek(V.Token) is not null => AuthType.Token,
        null => AuthType.Password,
        "password" or "v3password" => AuthType.Password,
        "token" or "v3token" => AuthType.Token,
        "admin_token" or "token_endpoint" => AuthType.AdminToken,
        "none" or "noauth" => AuthType.None,
        _ => throw new CliException(
            ExitCodes.Usage,
            $"{V.AuthType} '{typeText}' is not supported by kiln: use password, token, admin_token (a token sent as it is to {V.Endpoint}) or none"),
    };

    private static AuthSettings ReadKeystone(AuthType type, VariableSet read)
    {
        var authUrl = HttpUrl.Parse(Required(read, V.AuthUrl, $"{V.AuthType}={type.ToString().ToLowerInvariant()} needs Keystone's address"), V.AuthUrl, "http://keystone:5000/v3");
        var settings = new AuthSettings
        {
            Type = type,
            AuthUrl = authUrl,
            // Region and interface choose the endpoint, not the credentials: not listed in messages about them.
            Region = read.Peek(V.RegionName),
            Interface = Interface(read),
        };
        settings = type == AuthType.Password ? WithPassword(settings, read) : settings with
        {
            Token = Required(read, V.Token, $"{V.AuthType}=token needs the token to exchange"),
        };
        var project = NamedRef.Of(read.Get(V.ProjectId, V.TenantId), read.Get(V.ProjectName, V.TenantName));
        var projectDomain = project?.Id is null ? NamedRef.Of(read.Get(V.ProjectDomainId), read.Get(V.ProjectDomainName)) : null;
        if (project?.Id is null && projectDomain is null && type == AuthType.Password)
        {
            projectDomain = DefaultDomain(read);
        }

        return settings with { Project = project, ProjectDomain = projectDomain, Variables = read.Used };
    }

    private static AuthSettings WithPassword(AuthSettings settings, VariableSet read)
    {
        var user = NamedRef.Of(read.Get(V.UserId), read.Get(V.Username))
            ?? throw new CliException(
                ExitCodes.Usage,
                $"{V.AuthUrl} is set but neither {V.Username}, {V.UserId} nor {V.Token}: set the credentials (see docs/cli.md), or {V.AuthType}=none for noauth");
        var userDomain = user.Id is null ? NamedRef.Of(read.Get(V.UserDomainId), read.Get(V.UserDomainName)) ?? DefaultDomain(read) : null;
        var password = Required(read, V.Password, $"password authentication of user {user} needs a password (kiln does not prompt for it)");
        return settings with { User = user, UserDomain = userDomain, Password = password };
    }

    // osc-lib's _auth_default_domain: an id, openstackclient's --os-default-domain.
    private static NamedRef DefaultDomain(VariableSet read) => new(read.Get(V.DefaultDomain) ?? V.DefaultDomainId, null);

    /// <summary><c>public</c>, <c>internal</c> or <c>admin</c>; keystoneauth also accepts the old <c>publicURL</c> forms.</summary>
    private static string Interface(VariableSet read)
    {
        var text = read.Peek(V.Interface) ?? read.Peek(V.EndpointType);
        if (text is null)
        {
            return V.DefaultInterface;
        }

        var name = text.EndsWith("URL", StringComparison.OrdinalIgnoreCase) ? text[..^3] : text;
        return Interfaces.FirstOrDefault(i => i.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException(ExitCodes.Usage, $"{read.SourceOf(V.Interface, V.EndpointType)} '{text}' is not an interface: use public, internal or admin");
    }

    private static string Required(VariableSet read, string name, string why) =>
        read.Get(name) ?? throw new CliException(ExitCodes.Usage, $"{why}: set {name}");

    /// <summary>The environment, trimmed (blank is unset), remembering which variables were used.</summary>
    private sealed class VariableSet(Func<string, string?> environment)
    {
        private readonly List<string> used = [];

        public IReadOnlyList<string> Used => [.. used];

        /// <summary>The first of <paramref name="names"/> that is set, now counted as used.</summary>
        public string? Get(params string[] names)
        {
            foreach (var name in names)
            {
                if (Peek(name) is { } value)
                {
                    if (!used.Contains(name))
                    {
                        used.Add(name);
                    }

                    return value;
                }
            }

            return null;
        }

        public string? Peek(string name) => environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public string SourceOf(params string[] names) => names.FirstOrDefault(n => Peek(n) is not null) ?? names[0];
    }
}
