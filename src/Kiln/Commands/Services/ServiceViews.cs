using System.Globalization;
using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Services;

/// <summary>How services look in table mode: each backend's driver state coloured, its last error, budget and next attempt.</summary>
internal static class ServiceViews
{
    public static Table List(CliOutput output, IReadOnlyList<ServiceRecord> services, DateTimeOffset now)
    {
        var table = output.NewTable("Binary", "Host", "Status", "State", "Driver state", "Attempts", "Next attempt", "Last error");
        foreach (var s in services)
        {
            table.AddRow(
                Cells.Text(s.Binary),
                Cells.Text(s.Host),
                Cells.UpDown(s.Status),
                Cells.UpDown(s.State),
                Cells.DriverState(s.DriverState),
                Cells.Text(Attempts(s)),
                Cells.Text(RelativeTime.Until(s.ReinitNextAt, now)),
                Cells.Text(s.DriverError));
        }

        return table;
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
}
