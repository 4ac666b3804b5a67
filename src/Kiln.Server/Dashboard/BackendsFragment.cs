using System.Globalization;
using System.Text;

namespace Kiln.Server.Dashboard;

/// <summary>
/// The backends table: one page of rows and the pager, wrapped in the element that polls for itself
/// every 2 s with the same filter and page (htmx swaps the whole wrapper, so the poll follows the filter).
/// </summary>
internal static class BackendsFragment
{
    public static void Render(StringBuilder html, IReadOnlyList<BackendRow> all, BackendFilter filter, DateTimeOffset now, DashboardCaller caller)
    {
        var rows = all.Where(filter.Matches).ToList();
        var pages = Math.Max(1, (rows.Count + BackendFilter.PageSize - 1) / BackendFilter.PageSize);
        var page = Math.Min(filter.Page, pages);
        html.Append(CultureInfo.InvariantCulture, $"""<div id="backends" hx-get="/dashboard/backends?{Html.E(filter.Query(page))}" hx-trigger="every 2s" hx-swap="outerHTML">""");
        var counts = all.GroupBy(r => r.State).OrderBy(g => g.First().Severity).Select(g => $"{g.Count()} {g.Key}");
        html.Append(CultureInfo.InvariantCulture, $"""<p class="summary" id="backend-summary">{all.Count} backends: {Html.E(string.Join(", ", counts))}. Showing {rows.Count} (page {page} of {pages}).</p>""");
        html.Append("""<div class="table-wrap"><table class="backends"><caption class="visually-hidden">Backends and their driver state</caption><thead><tr>""");
        html.Append("""<th scope="col">Backend</th><th scope="col">State</th><th scope="col">Last error</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Probe</th><th scope="col">Stats</th><th scope="col">Last hours</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>""");
        foreach (var row in rows.Skip((page - 1) * BackendFilter.PageSize).Take(BackendFilter.PageSize))
        {
            Row(html, row, now, caller, note: null);
        }

        if (rows.Count == 0)
        {
            html.Append("""<tr><td colspan="9" class="muted">No backend in this state.</td></tr>""");
        }

        html.Append("</tbody></table></div>");
        Pager(html, filter, page, pages);
        html.Append("</div>");
    }

    /// <summary>One row; <paramref name="note"/> says what the operator just did to it (re-init requested).</summary>
    public static void Row(StringBuilder html, BackendRow row, DateTimeOffset now, DashboardCaller caller, string? note)
    {
        var id = RowId(row.Host);
        html.Append(CultureInfo.InvariantCulture, $"""<tr id="{id}" data-host="{Html.E(row.Host)}" data-state="{Html.E(row.State)}">""");
        html.Append(CultureInfo.InvariantCulture, $"""<th scope="row" data-label="Backend">{Html.E(row.Host)}""");
        if (!row.Up)
        {
            html.Append(""" <span class="tag down">service down</span>""");
        }

        if (row.Disabled)
        {
            html.Append(""" <span class="tag">disabled</span>""");
        }

        html.Append("</th><td data-label=\"State\">");
        html.Append(CultureInfo.InvariantCulture, $"""<span class="badge state-{Html.E(row.State)}">{Html.E(StateText(row.State))}</span> """);
        html.Append("<span class=\"since\">since ");
        Html.Ago(html, row.Since, now);
        html.Append("</span>");
        if (row.State == "initializing")
        {
            html.Append("""<span class="running" role="status">attempt running</span>""");
        }

        if (note is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span class="note" role="status">{Html.E(note)}</span>""");
        }

        html.Append("</td><td data-label=\"Last error\" class=\"error\">");
        if (row.Error is { } error)
        {
            var colon = error.IndexOf(": ", StringComparison.Ordinal);
            var errorClass = colon < 0 ? error : error[..colon];
            var message = colon < 0 ? string.Empty : error[(colon + 2)..];
            html.Append(CultureInfo.InvariantCulture, $"""<code class="error-class">{Html.E(errorClass)}</code> <span class="error-message">{Html.E(message)}</span>""");
        }
        else
        {
            html.Append("<span class=\"muted\">none</span>");
        }

        html.Append("</td><td data-label=\"Attempts\">");
        html.Append(Html.E(Attempts(row)));
        html.Append("</td><td data-label=\"Next attempt\">");
        Html.Countdown(html, row.NextAttemptAt, now);
        html.Append("</td><td data-label=\"Probe\">");
        Probe(html, row, now);
        html.Append("</td><td data-label=\"Stats\">");
        Html.Ago(html, row.StatsUpdatedAt, now);
        html.Append("</td><td data-label=\"Last hours\" class=\"timeline-cell\">");
        Timeline.Render(html, row, now);
        html.Append("</td><td class=\"actions\">");
        if (caller.CanReinit && row.Local)
        {
            var busy = row.State is "initializing" or "stopped";
            html.Append(CultureInfo.InvariantCulture, $"""<button type="button" class="reinit" id="reinit-{id}" hx-post="/dashboard/reinit" hx-vals='{Html.E(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["host"] = row.Host }, DashboardJsonContext.Default.DictionaryStringString))}' hx-confirm="{Html.E($"Re-initialize {row.Host} now? This runs an initialization attempt at once and resets its re-init budget.")}" hx-target="closest tr" hx-swap="outerHTML" aria-label="{Html.E($"Re-initialize {row.Host}")}"{(busy ? " disabled" : string.Empty)}>Re-initialize</button>""");
        }

        html.Append("</td></tr>");
    }

    /// <summary>The row's element id: a backend name made safe for an id (hosts may hold any character).</summary>
    public static string RowId(string host)
    {
        var id = new StringBuilder("backend-");
        foreach (var c in host)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        // Two names that differ only in punctuation must not share an id.
        id.Append(CultureInfo.InvariantCulture, $"-{(uint)StableHash(host):x8}");
        return id.ToString();
    }

    public static string StateText(string state) => state switch
    {
        "gave_up" => "gave up",
        _ => state,
    };

    private static int StableHash(string text)
    {
        var hash = unchecked((int)2166136261);
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }

    private static string Attempts(BackendRow row) => (row.Attempts, row.Budget) switch
    {
        (null, _) => "—",
        ({ } used, 0) => $"{used} of unlimited",
        ({ } used, { } budget) => $"{used} of {budget}",
        ({ } used, null) => $"{used}",
    };

    private static void Probe(StringBuilder html, BackendRow row, DateTimeOffset now)
    {
        if (row.Probe is not { } probe)
        {
            html.Append("<span class=\"muted\">not probed</span>");
            return;
        }

        html.Append(probe.IsReady ? "<span class=\"probe ok\">reachable</span>" : "<span class=\"probe bad\">not reachable</span>");
        if (!probe.IsReady && probe.Reason is { } reason)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span class="probe-reason">{Html.E(reason)}</span>""");
        }

        html.Append(" <span class=\"muted\">(");
        Html.Ago(html, probe.At, now);
        html.Append(")</span>");
    }

    private static void Pager(StringBuilder html, BackendFilter filter, int page, int pages)
    {
        if (pages <= 1)
        {
            return;
        }

        html.Append("""<nav class="pager" aria-label="Backend pages">""");
        Link(html, filter, page - 1, "Previous page", page > 1);
        html.Append(CultureInfo.InvariantCulture, $"""<span>Page {page} of {pages}</span>""");
        Link(html, filter, page + 1, "Next page", page < pages);
        html.Append("</nav>");
    }

    private static void Link(StringBuilder html, BackendFilter filter, int page, string text, bool enabled)
    {
        if (!enabled)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span class="muted">{text}</span>""");
            return;
        }

        var query = Html.E(filter.Query(page));
        html.Append(CultureInfo.InvariantCulture, $"""<a href="/dashboard?{query}" hx-get="/dashboard/backends?{query}" hx-target="#backends" hx-swap="outerHTML" hx-push-url="/dashboard?{query}">{text}</a>""");
    }
}
