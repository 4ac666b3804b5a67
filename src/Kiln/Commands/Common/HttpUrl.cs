namespace Kiln.Cli.Commands.Common;

/// <summary>An absolute http:// or https:// URL given by the user; anything else is a usage error naming where it came from.</summary>
internal static class HttpUrl
{
    public static Uri Parse(string text, string source, string example)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"{source} '{text}' is not an http:// or https:// URL, for example {example}");
        }

        return url;
    }
}
