using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Pools;

/// <summary><c>kiln pool list</c>: every pool whose backend has published stats, with the backend's state and capacity.</summary>
internal static class PoolListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List storage pools with their backend's state and capacity.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var pools = await run.Api.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(pools, p => Render(run.Output, p));
            return ExitCodes.Ok;
        });
    }

    private static Table Render(CliOutput output, IReadOnlyList<PoolRecord> pools)
    {
        var table = output.NewTable("Name", "Backend state", "Total (GB)", "Free (GB)", "Allocated (GB)");
        foreach (var p in pools)
        {
            table.AddRow(Cells.Text(p.Name), Cells.DriverState(p.DriverState), Cells.Number(p.TotalCapacityGb), Cells.Number(p.FreeCapacityGb), Cells.Number(p.AllocatedCapacityGb));
        }

        return table;
    }
}
