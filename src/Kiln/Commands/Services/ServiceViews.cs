using System.Globalization;
using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kiln.Cli.Commands.Services;

/// <summary>How services look in table mode: a list that fits the terminal, and one backend's whole story.</summary>
internal static class ServiceViews
{
    private const string CinderPrefix = "cinder-";

    /// <summary>
    /// One row per service, fitted to the width (<see cref="FittedTable"/>): <c>cinder-</c> left out of the
    /// binary, status and heartbeat in one column, the last error cut with an ellipsis
    /// (<c>kiln service show</c> has it whole); when still too wide, the service and then the attempts columns go.
    /// </summary>
    public static void WriteList(CliOutput output, IReadOnlyList<ServiceRecord> services, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(services);
        // Too narrow for all: the service is implied by the host (host@backend is a volume service), then the attempts.
        var table = new FittedTable(["Host", "Service", "State", "Driver state", "Attempts", "Next attempt", "Last error"], 1, 4);
        foreach (var s in services)
        {
            table.AddRow(
                s.Host,
                s.Binary.StartsWith(CinderPrefix, StringComparison.Ordinal) ? s.Binary[CinderPrefix.Length..] : s.Binary,
                new FittedCell(State(s), Cells.UpDownColor(s.State)),
                new FittedCell(s.DriverState ?? string.Empty, Cells.DriverStateColor(s.DriverState)),
                Attempts(s),
                RelativeTime.Until(s.ReinitNextAt, now),
                s.DriverError);
        }

        table.Write(output, key: 0);
    }

    /// <summary>Everything Kiln says about one backend, each field on its own line, the error whole.</summary>
    public static Table Details(CliOutput output, ServiceDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(details);
        var s = details.Service;
        var rows = new List<(string, IRenderable)>
        {
            ("Host", Cells.Text(s.Host)),
            ("Service", Cells.Text(s.Binary)),
            ("Zone", Cells.Text(s.Zone)),
            ("Status", Cells.UpDown(s.Status)),
            ("Disabled reason", Cells.Text(s.DisabledReason)),
            ("State", new Text($"{s.State} (last heartbeat {Ago(s.UpdatedAt, now)})", new Style(foreground: Cells.UpDownColor(s.State)))),
        };
        // The scheduler has no lifecycle: only volume backends get the rest.
        if (s.DriverState is not null)
        {
            rows.AddRange(
            [
                ("Backend state", Cells.UpDown(s.BackendState)),
                ("Driver state", Cells.DriverState(s.DriverState)),
                ("Since", Cells.Text(s.DriverStateSince is { } since ? $"{Timestamps.Format(since)} ({Ago(since, now)})" : null)),
                ("Last error", Cells.Text(s.DriverError ?? "none")),
                ("Re-initializations", Cells.Text(Budget(s))),
                ("Next attempt", Cells.Text(s.ReinitNextAt is { } next ? $"{RelativeTime.Until(next, now)} ({Timestamps.Format(next)})" : "none scheduled")),
                ("History", Cells.Text(History(details.InitAttempts))),
            ]);
        }

        return output.NewDetailsTable(rows.Where(r => s.DisabledReason is not null || r.Item1 != "Disabled reason"));
    }

    /// <summary>"1/3": re-initializations used of the budget; a budget of 0 means unlimited.</summary>
    public static string Attempts(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.ReinitAttempts is not { } attempts)
        {
            return string.Empty;
        }

        var budget = service.ReinitBudget switch
        {
            null => "?",
            0 => "unlimited",
            { } b => b.ToString(CultureInfo.InvariantCulture),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{attempts}/{budget}");
    }

    private static string State(ServiceRecord s) => s.Status == "disabled" ? $"{s.State}, disabled" : s.State ?? string.Empty;

    private static string Budget(ServiceRecord s) => (s.ReinitAttempts, s.ReinitBudget) switch
    {
        (null, _) => "not reported",
        ({ } used, 0) => string.Create(CultureInfo.InvariantCulture, $"{used} used in this cycle, no limit (reinit_driver_count = 0)"),
        ({ } used, { } budget) => string.Create(CultureInfo.InvariantCulture, $"{used} of {budget} used in this cycle ({Math.Max(0, budget - used)} left)"),
        ({ } used, null) => string.Create(CultureInfo.InvariantCulture, $"{used} used in this cycle"),
    };

    private static string History(IReadOnlyDictionary<string, long>? attempts) => attempts switch
    {
        null => "not available (this server's /metrics does not report the backend: it may run on another node)",
        _ => "initialization attempts since the service started: " + string.Join(", ", attempts.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Value} {a.Key}"))),
    };

    private static string Ago(DateTimeOffset? at, DateTimeOffset now) => at switch
    {
        null => "never",
        { } t when t >= now => "just now",
        { } t => RelativeTime.Span(now - t) + " ago",
    };
}
