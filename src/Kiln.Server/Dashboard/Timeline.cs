using System.Globalization;
using System.Text;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Dashboard;

/// <summary>
/// A backend's state over the history window as one SVG strip (one coloured segment per state, a
/// tooltip per segment) with a text summary for screen readers: time spent per state and the number of changes.
/// </summary>
internal static class Timeline
{
    /// <summary>The window drawn; the same as <see cref="BackendHistory.DefaultMaxAge"/>.</summary>
    public static readonly TimeSpan Window = BackendHistory.DefaultMaxAge;

    private const double Width = 360;

    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMinutes(1);

    public static void Render(StringBuilder html, BackendRow row, DateTimeOffset now)
    {
        if (!row.Local)
        {
            html.Append("<span class=\"muted\">on another node</span>");
            return;
        }

        // The strip spans the window, or less when the history is younger (a node started minutes ago
        // would otherwise draw its whole story in a hair-thin sliver at the right end).
        var start = now - Window;
        if (row.History.Count > 0 && row.History[0].At > start)
        {
            start = row.History[0].At < now - MinimumSpan ? row.History[0].At : now - MinimumSpan;
        }

        var span = now - start;
        var spent = new Dictionary<BackendState, TimeSpan>();
        var segments = new StringBuilder();
        var history = row.History;
        for (var i = 0; i < history.Count; i++)
        {
            var from = history[i].At < start ? start : history[i].At;
            var to = i + 1 < history.Count ? history[i + 1].At : now;
            if (to <= from)
            {
                continue;
            }

            var state = history[i].State;
            spent[state] = spent.GetValueOrDefault(state) + (to - from);
            var x = (from - start) / span * Width;
            var w = Math.Max(0.5, (to - from) / span * Width);
            var title = $"{BackendsFragment.StateText(state.ToWireName())} from {Html.Iso(history[i].At)}{(history[i].Error is { } e ? $": {e}" : string.Empty)}";
            segments.Append(CultureInfo.InvariantCulture, $"""<rect class="t-{state.ToWireName()}" x="{x:0.##}" y="0" width="{w:0.##}" height="10"><title>{Html.E(title)}</title></rect>""");
        }

        var summary = spent.Count == 0
            ? "no history yet"
            : string.Join(", ", spent.OrderByDescending(p => p.Value).Select(p => $"{BackendsFragment.StateText(p.Key.ToWireName())} {Html.Span(p.Value)}"));
        var changes = Math.Max(0, history.Count(c => c.At >= start) - 1);
        var label = $"Last {Html.Span(span)}: {summary}; {changes} changes";
        html.Append(CultureInfo.InvariantCulture, $"""<svg class="timeline" data-span="{Html.E(Html.Span(span))}" viewBox="0 0 {Width} 10" preserveAspectRatio="none" role="img" aria-label="{Html.E(label)}"><rect class="t-none" x="0" y="0" width="{Width}" height="10"/>""");
        html.Append(segments);
        html.Append(CultureInfo.InvariantCulture, $"""</svg><span class="timeline-span" aria-hidden="true">last {Html.E(Html.Span(span))}</span>""");
    }
}
