using Kiln.Cli.Identity;

namespace Kiln.Cli.Commands.Common;

/// <summary>
/// Where a client command sends its requests, and with which token. With Keystone (<c>OS_AUTH_URL</c>
/// and credentials) the token comes from Keystone, the endpoint from its catalog unless <c>--url</c> or
/// <c>KILN_URL</c> names one, and the project is the token's. Without, it is noauth as before: the URL
/// (option, variable, local default) and the project (option, variable, <c>admin</c>), no token.
/// </summary>
/// <param name="BaseAddress">The project's API, ending in '/': <c>http://host:8776/v3/PROJECT/</c>.</param>
/// <param name="Server">The URL as given or found, for messages.</param>
/// <param name="Token">The token sent as <c>X-Auth-Token</c>, or null.</param>
/// <param name="Auth">How the client authenticated.</param>
internal sealed record KilnTarget(Uri BaseAddress, KilnUrl Server, string? Token, AuthSettings Auth)
{
    public const string UrlVariable = "KILN_URL";
    public const string ProjectVariable = "KILN_PROJECT";
    public const string DefaultProject = "admin";

    public static async Task<KilnTarget> ResolveAsync(string? urlOption, string? projectOption, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var auth = AuthSettingsReader.Read(environment);
        var url = First((urlOption, "--url"), (environment(UrlVariable), UrlVariable)) is { } given ? KilnUrl.Parse(given.Value, given.Source) : null;
        if (!auth.UsesKeystone)
        {
            url ??= auth.Endpoint ?? KilnUrl.Default;
            return new KilnTarget(url.BaseAddressFor(Project(url, projectOption, environment)), url, auth.Token, auth);
        }

        if (!string.IsNullOrWhiteSpace(projectOption))
        {
            throw new CliException(
                ExitCodes.Usage,
                $"--project is for noauth: with Keystone the project is the token's; set {OpenStackVariables.ProjectName} or {OpenStackVariables.ProjectId} instead");
        }

        using var keystone = new KeystoneClient();
        var token = await keystone.IssueTokenAsync(auth, cancellationToken).ConfigureAwait(false);
        url ??= KilnUrl.Parse(token.Catalog.FindVolumeEndpoint(auth.Interface, auth.Region), "Keystone's catalog");
        return new KilnTarget(url.BaseAddressFor(token.ProjectId!), url, token.Id, auth);
    }

    public override string ToString() => $"KilnTarget {{ BaseAddress = {BaseAddress}, Auth = {Auth.Type} }}";

    /// <summary>The project of a URL that names one; else the option, the variable or <c>admin</c>.</summary>
    private static string Project(KilnUrl url, string? projectOption, Func<string, string?> environment)
    {
        if (url.Project is not null)
        {
            return string.IsNullOrWhiteSpace(projectOption) || projectOption.Trim() == url.Project
                ? url.Project
                : throw new CliException(ExitCodes.Usage, $"--project '{projectOption.Trim()}' contradicts {url.Source}, which names project '{url.Project}': give one of them");
        }

        var (project, source) = First((projectOption, "--project"), (environment(ProjectVariable), ProjectVariable)) ?? (DefaultProject, "default");
        if (project.Contains('/', StringComparison.Ordinal) || project.Any(char.IsWhiteSpace))
        {
            throw new CliException(ExitCodes.Usage, $"{source} '{project}' is not a project id: it may not contain '/' or spaces");
        }

        return project;
    }

    private static (string Value, string Source)? First(params (string? Value, string Source)[] candidates) =>
        candidates.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => ((string Value, string Source)?)(c.Value!.Trim(), c.Source)).FirstOrDefault();
}
