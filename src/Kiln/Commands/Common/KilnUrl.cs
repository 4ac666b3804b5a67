namespace Kiln.Cli.Commands.Common;

/// <summary>
/// A Kiln URL from <c>--url</c>, <c>KILN_URL</c>, <c>OS_ENDPOINT</c> or Keystone's catalog, in either
/// form: the API root (<c>http://host:8776</c>; a trailing <c>/v3</c>, as written for the cinder
/// client, is accepted) or one project's endpoint, as the catalog lists it (<c>http://host:8776/v3/PROJECT</c>).
/// </summary>
/// <param name="Url">The root or the project's endpoint, ending in '/'.</param>
/// <param name="Project">The project in the URL (endpoint form), or null (root form).</param>
/// <param name="Source">Where the URL came from, for messages.</param>
internal sealed record KilnUrl(Uri Url, string? Project, string Source)
{
    public const string DefaultText = "http://127.0.0.1:8776";

    public static KilnUrl Default { get; } = Parse(DefaultText, "default");

    public static KilnUrl Parse(string text, string source)
    {
        var url = HttpUrl.Parse(text, source, DefaultText);
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? project = null;
        if (segments.Length >= 1 && IsV3(segments[^1]))
        {
            segments = segments[..^1];
        }
        else if (segments.Length >= 2 && IsV3(segments[^2]))
        {
            project = Uri.UnescapeDataString(segments[^1]);
        }

        var path = "/" + string.Concat(segments.Select(s => s + "/"));
        return new KilnUrl(new UriBuilder(url) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri, project, source);
    }

    /// <summary>Where the project's API is: the endpoint as it is, or the root's <c>v3/{project}/</c>.</summary>
    public Uri BaseAddressFor(string project) =>
        Project is null ? new Uri(Url, $"v3/{Uri.EscapeDataString(project)}/") : Url;

    public override string ToString() => Url.ToString();

    private static bool IsV3(string segment) => segment.Equals("v3", StringComparison.OrdinalIgnoreCase);
}
