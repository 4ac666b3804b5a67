using System.Globalization;
using System.Text;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Telemetry;
using Microsoft.AspNetCore.Antiforgery;

namespace Kiln.Server.Dashboard;

/// <summary>
/// <c>/dashboard</c>: the page, the fragments htmx polls every 2 s, the re-init action and a volume's
/// JSON. Every endpoint checks the caller first (<see cref="DashboardAccess"/>).
/// </summary>
internal static class DashboardEndpoints
{
    public static void Map(RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("", PageAsync);
        dashboard.MapGet("/backends", BackendsAsync);
        dashboard.MapGet("/capacity", CapacityAsync);
        dashboard.MapGet("/problems", ProblemsAsync);
        dashboard.MapPost("/reinit", ReinitAsync);
        dashboard.MapGet("/volumes/{id}", VolumeAsync);
    }

    private static async Task<IResult> PageAsync(HttpContext http, DashboardData data, DashboardProblems problems, VolumeCountCache counts, KilnConfiguration configuration, TimeProvider time, IAntiforgery antiforgery)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        var now = time.GetUtcNow();
        var filter = BackendFilter.From(http.Request);
        var html = new StringBuilder(64 * 1024);
        DashboardPage.Open(html, "Kiln dashboard", antiforgery.GetAndStoreTokens(http).RequestToken, now);
        html.Append(CultureInfo.InvariantCulture, $"""<header class="top"><h1>Kiln <span class="muted">{Html.E(configuration.Host)}</span></h1><p class="who">{Html.E(caller.Context.UserId)} · project {Html.E(caller.Context.ProjectId)}""");
        if (caller.SignedIn)
        {
            html.Append(""" <form method="post" action="/dashboard/logout" class="inline">""");
            AntiforgeryField(html, antiforgery, http);
            html.Append("""<button type="submit">Sign out</button></form>""");
        }

        html.Append("""</p><nav aria-label="Sections"><a href="#backends-h">Backends</a> <a href="#capacity-h">Capacity</a> <a href="#problems-h">Recent problems</a></nav></header><main id="main">""");

        html.Append("""<section aria-labelledby="backends-h"><h2 id="backends-h">Backends</h2>""");
        html.Append("""<form class="filter" action="/dashboard" method="get" hx-get="/dashboard/backends" hx-target="#backends" hx-swap="outerHTML" hx-trigger="change" hx-push-url="true"><label for="state-filter">Show</label> <select id="state-filter" name="state">""");
        html.Append(CultureInfo.InvariantCulture, $"""<option value=""{(filter.State.Length == 0 ? " selected" : string.Empty)}>all states</option>""");
        foreach (var state in BackendFilter.States)
        {
            var text = state == "attention" ? "needing attention (not ready)" : BackendsFragment.StateText(state);
            html.Append(CultureInfo.InvariantCulture, $"""<option value="{state}"{(filter.State == state ? " selected" : string.Empty)}>{Html.E(text)}</option>""");
        }

        html.Append("""</select> <noscript><button type="submit">Filter</button></noscript></form>""");
        html.Append("""<div id="announce" class="visually-hidden" aria-live="polite"></div>""");
        BackendsFragment.Render(html, await data.BackendsAsync(http.RequestAborted).ConfigureAwait(false), filter, now, caller);
        html.Append("</section>");

        html.Append("""<section aria-labelledby="capacity-h"><h2 id="capacity-h">Capacity</h2>""");
        CapacityFragment.Render(html, await data.StatsAsync(http.RequestAborted).ConfigureAwait(false), counts.Read());
        html.Append("</section>");

        html.Append("""<section aria-labelledby="problems-h"><h2 id="problems-h">Recent problems</h2>""");
        ProblemsFragment.Render(
            html,
            await problems.MessagesAsync(http.RequestAborted).ConfigureAwait(false),
            await problems.VolumesInErrorAsync(http.RequestAborted).ConfigureAwait(false),
            now);
        html.Append("</section></main>");
        DashboardPage.Close(html);
        return Page(http, html);
    }

    private static async Task<IResult> BackendsAsync(HttpContext http, DashboardData data, TimeProvider time)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        var html = new StringBuilder(32 * 1024);
        BackendsFragment.Render(html, await data.BackendsAsync(http.RequestAborted).ConfigureAwait(false), BackendFilter.From(http.Request), time.GetUtcNow(), caller);
        return Page(http, html);
    }

    private static async Task<IResult> CapacityAsync(HttpContext http, DashboardData data, VolumeCountCache counts)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        var html = new StringBuilder(16 * 1024);
        CapacityFragment.Render(html, await data.StatsAsync(http.RequestAborted).ConfigureAwait(false), counts.Read());
        return Page(http, html);
    }

    private static async Task<IResult> ProblemsAsync(HttpContext http, DashboardProblems problems, TimeProvider time)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        var html = new StringBuilder(8 * 1024);
        ProblemsFragment.Render(
            html,
            await problems.MessagesAsync(http.RequestAborted).ConfigureAwait(false),
            await problems.VolumesInErrorAsync(http.RequestAborted).ConfigureAwait(false),
            time.GetUtcNow());
        return Page(http, html);
    }

    /// <summary>
    /// Re-initializes a backend now (the same request as <c>PUT os-services/reinit</c>) and answers its
    /// row, which then shows the attempt running; the polling shows how it ends.
    /// </summary>
    private static async Task<IResult> ReinitAsync(HttpContext http, BackendCatalog backends, DashboardData data, TimeProvider time, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        if (await DashboardSetup.RefuseWithoutAntiforgeryAsync(http, antiforgery).ConfigureAwait(false) is { } forged)
        {
            return forged;
        }

        if (!caller.CanReinit)
        {
            return DashboardPage.Message(StatusCodes.Status403Forbidden, "Not allowed", "Policy does not allow you to re-initialize backends (rule volume_extension:services:reinit).");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var host = form["host"].ToString();
        if (backends.Find(host) is not { } backend)
        {
            return DashboardPage.Message(StatusCodes.Status404NotFound, "No such backend", $"Backend {host} is not served by this node.");
        }

        var result = backend.RequestReinit();
        var note = result.Accepted
            ? $"Re-initialization requested at {Html.Iso(time.GetUtcNow())}."
            : $"Not re-initialized: the backend is {result.StateAtRequest.ToWireName()} ({(result.StateAtRequest == BackendState.Initializing ? "an attempt is already running" : "the service is shutting down")}).";
        Log.ReinitRequested(loggers.CreateLogger("Kiln.Dashboard"), caller.Context.UserId, caller.Context.ProjectId, host, note);
        if (result.Accepted)
        {
            // The request wakes the backend's loop; the row answered here should show the attempt it started.
            await WaitForAttemptAsync(backend, time, http.RequestAborted).ConfigureAwait(false);
        }

        var row = (await data.BackendsAsync(http.RequestAborted).ConfigureAwait(false)).First(r => r.Host == host);
        var html = new StringBuilder(4 * 1024);
        BackendsFragment.Row(html, row, time.GetUtcNow(), caller, note);
        return Page(http, html);
    }

    private static async Task<IResult> VolumeAsync(HttpContext http, string id, DashboardProblems problems)
    {
        var (caller, refusal) = await DashboardAccess.CheckAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal!;
        }

        return await problems.VolumeAsync(id, http.RequestAborted).ConfigureAwait(false) is { } volume
            ? Results.Json(volume, DashboardJsonContext.Default.ErrorVolume)
            : DashboardPage.Message(StatusCodes.Status404NotFound, "No such volume", $"Volume {id} could not be found.");
    }

    /// <summary>Waits briefly (at most 1 s) for the loop to pick the request up, so the answer shows "initializing".</summary>
    private static async Task WaitForAttemptAsync(BackendHost backend, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(1);
        var attempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(BackendSnapshot previous, BackendSnapshot next)
        {
            if (next.State == BackendState.Initializing || previous.State == BackendState.Initializing)
            {
                attempt.TrySetResult();
            }
        }

        backend.Changed += OnChanged;
        try
        {
            if (backend.Snapshot.State != BackendState.Initializing)
            {
                await attempt.Task.WaitAsync(deadline - time.GetUtcNow(), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // The row says the request was made; the next poll shows the attempt.
        }
        finally
        {
            backend.Changed -= OnChanged;
        }
    }

    private static void AntiforgeryField(StringBuilder html, IAntiforgery antiforgery, HttpContext http)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        html.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{Html.E(tokens.FormFieldName)}" value="{Html.E(tokens.RequestToken)}">""");
    }

    private static IResult Page(HttpContext http, StringBuilder html)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html.ToString(), DashboardPage.HtmlType, Encoding.UTF8);
    }
}
