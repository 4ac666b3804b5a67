using System.Globalization;
using System.Text;

namespace Kiln.Server.Dashboard;

/// <summary>The page around the sections: head, header, and the plain pages (refusals, login).</summary>
internal static class DashboardPage
{
    public const string HtmlType = "text/html; charset=utf-8";

    /// <summary>Opens the document; <paramref name="csrf"/> goes into every htmx request's headers.</summary>
    public static void Open(StringBuilder html, string title, string? csrf, DateTimeOffset now)
    {
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Html.E(title)}</title>");
        // htmx would add a <style> element for its indicators; the page's CSP allows only its own stylesheet.
        html.Append("""<meta name="htmx-config" content='{"includeIndicatorStyles":false,"defaultSwapStyle":"outerHTML"}'>""");
        html.Append("""<link rel="stylesheet" href="/dashboard/static/dashboard.css"><script src="/dashboard/static/htmx.min.js" defer></script><script src="/dashboard/static/dashboard.js" defer></script></head>""");
        html.Append(CultureInfo.InvariantCulture, $"""<body data-now="{Html.Iso(now)}" """);
        if (csrf is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""hx-headers='{Html.E($$"""{"{{DashboardSetup.CsrfHeader}}":"{{csrf}}"}""")}'""");
        }

        html.Append("><a class=\"skip\" href=\"#main\">Skip to content</a>");
    }

    public static void Close(StringBuilder html) => html.Append("</body></html>");

    /// <summary>A page with a heading and one paragraph, for refusals and errors.</summary>
    public static IResult Message(int status, string title, string text)
    {
        var html = new StringBuilder();
        Open(html, $"Kiln dashboard: {title}", null, DateTimeOffset.UnixEpoch);
        html.Append(CultureInfo.InvariantCulture, $"""<main id="main" class="narrow"><h1>{Html.E(title)}</h1><p class="refusal">{Html.E(text)}</p><p><a href="/dashboard">Back to the dashboard</a></p></main>""");
        Close(html);
        return Results.Content(html.ToString(), HtmlType, Encoding.UTF8, status);
    }
}
