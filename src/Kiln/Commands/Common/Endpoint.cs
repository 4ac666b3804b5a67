namespace Kiln.Cli.Commands.Common;

/// <summary>Which server and project a command talks to: the option, else the environment variable, else the local default.</summary>
internal sealed record Endpoint(Uri Url, string Project)
{
    public const string UrlVariable = "KILN_URL";
    public const string ProjectVariable = "KILN_PROJECT";
    public const string DefaultUrl = "http://127.0.0.1:8776";
    public const string DefaultProject = "admin";

    public static Endpoint Resolve(string? urlOption, string? projectOption, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (urlText, urlSource) = First((urlOption, "--url"), (environment(UrlVariable), UrlVariable)) ?? (DefaultUrl, "default");
        var (project, projectSource) = First((projectOption, "--project"), (environment(ProjectVariable), ProjectVariable)) ?? (DefaultProject, "default");
        if (project.Contains('/', StringComparison.Ordinal) || project.Any(char.IsWhiteSpace))
        {
            throw new CliException(ExitCodes.Usage, $"{projectSource} '{project}' is not a project id: it may not contain '/' or spaces");
        }

        return new Endpoint(ParseUrl(urlText, urlSource), project);
    }

    /// <summary>
    /// An absolute http(s) URL ending in '/'. A trailing <c>/v3</c> is dropped, so the endpoint written
    /// for the cinder client (<c>http://host:8776/v3</c>) works here too.
    /// </summary>
    private static Uri ParseUrl(string text, string source)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"{source} '{text}' is not an http:// or https:// URL, for example {DefaultUrl}");
        }

        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v3", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/v3".Length];
        }

        return new UriBuilder(url) { Path = path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    private static (string Value, string Source)? First(params (string? Value, string Source)[] candidates) =>
        candidates.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => ((string Value, string Source)?)(c.Value!.Trim(), c.Source)).FirstOrDefault();
}
