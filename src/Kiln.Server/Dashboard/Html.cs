using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Kiln.Server.Dashboard;

/// <summary>Small helpers for writing HTML by hand: every text and attribute value goes through the encoder.</summary>
internal static class Html
{
    /// <summary>Encodes text or an attribute value (quotes included).</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A query string value.</summary>
    public static string Q(string? text) => Uri.EscapeDataString(text ?? string.Empty);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"5 s", "3 min", "2 h 5 min", "4 d": how long ago or how long until, as an operator reads it.</summary>
    public static string Span(TimeSpan span)
    {
        var s = Math.Max(0, (long)Math.Round(span.Duration().TotalSeconds));
        return s switch
        {
            < 60 => $"{s} s",
            < 3600 => $"{s / 60} min",
            < 86400 => s % 3600 / 60 == 0 ? $"{s / 3600} h" : $"{s / 3600} h {s % 3600 / 60} min",
            _ => $"{s / 86400} d",
        };
    }

    /// <summary>A timestamp that dashboard.js keeps current ("12 s ago"); the text is right at render time.</summary>
    public static void Ago(StringBuilder html, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            html.Append("<span class=\"muted\">never</span>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<time class=\"ago\" datetime=\"{Iso(value)}\" title=\"{Iso(value)}\">{Span(now - value)} ago</time>");
    }

    /// <summary>A live countdown kept by dashboard.js ("in 8 s", then "due").</summary>
    public static void Countdown(StringBuilder html, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            html.Append("<span class=\"muted\">none scheduled</span>");
            return;
        }

        var text = value > now ? $"in {Span(value - now)}" : "due";
        html.Append(CultureInfo.InvariantCulture, $"<time class=\"countdown\" datetime=\"{Iso(value)}\" title=\"{Iso(value)}\">{text}</time>");
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
