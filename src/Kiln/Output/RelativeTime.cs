using System.Globalization;

namespace Kiln.Cli.Output;

/// <summary>Times shown to people relative to now: "in 8 s", "in 3 min", "due".</summary>
internal static class RelativeTime
{
    /// <summary>A future moment: empty when there is none, "due" once it has passed.</summary>
    public static string Until(DateTimeOffset? at, DateTimeOffset now) => at switch
    {
        null => string.Empty,
        { } due when due <= now => "due",
        { } due => "in " + Span(due - now),
    };

    /// <summary>Seconds up to 2 minutes, then minutes up to 2 hours, then hours; rounded up, so "in 0 s" never shows for a future time.</summary>
    public static string Span(TimeSpan span)
    {
        var seconds = Math.Ceiling(span.TotalSeconds);
        return seconds switch
        {
            < 120 => Format(seconds, "s"),
            < 7200 => Format(Math.Ceiling(seconds / 60), "min"),
            _ => Format(Math.Ceiling(seconds / 3600), "h"),
        };
    }

    private static string Format(double value, string unit) => string.Create(CultureInfo.InvariantCulture, $"{value:0} {unit}");
}
