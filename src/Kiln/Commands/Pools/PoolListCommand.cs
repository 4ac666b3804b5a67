using System.CommandLine;
using System.Globalization;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Pools;

/// <summary><c>kiln pool list</c>: every pool whose backend has published stats, with the backend's state and capacity.</summary>
internal static class PoolListCommand
{
    /// <summary>What each column means; the command's help, since "allocated" and "provisioned" are easy to mix up.</summary>
    public const string Description = """
        List storage pools with their backend's state and capacity, in GB:
          Total        the pool's size (total_capacity_gb)
          Free         space not yet written on the storage (free_capacity_gb); thin volumes take space only as data is written
          Provisioned  the sizes of the pool's volumes added up (provisioned_capacity_gb): what was promised to users
          Limit        how much may be provisioned: Total x max_over_subscription_ratio, less the reserved part (reserved_percentage); the ratio in parentheses.
                       "thick" for a pool without thin provisioning: there a volume needs its size in Free (less the reserved part)
        -o json also has allocated_capacity_gb (the space the volumes' data takes) and the raw ratio and percentage.
        """;

    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", Description);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var pools = await run.Api.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(pools, p => Render(run.Output, p));
            return ExitCodes.Ok;
        });
    }

    /// <summary>The most that may be provisioned on a thin pool (the scheduler's virtual-capacity rule), and its ratio; "thick" otherwise.</summary>
    public static string Limit(PoolRecord pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.ThinProvisioningSupport != true)
        {
            return pool.ThinProvisioningSupport is null ? string.Empty : "thick";
        }

        if (pool.TotalCapacityGb is not { } total || pool.MaxOverSubscriptionRatio is not { } ratio)
        {
            return string.Empty;
        }

        var limit = (total * ratio) - (total * (pool.ReservedPercentage ?? 0) / 100);
        return string.Create(CultureInfo.InvariantCulture, $"{limit:0.##} ({ratio:0.##}x)");
    }

    private static Table Render(CliOutput output, IReadOnlyList<PoolRecord> pools)
    {
        var table = output.NewTable("Name", "State", "Total", "Free", "Provisioned", "Limit");
        foreach (var p in pools)
        {
            table.AddRow(
                Cells.Text(p.Name),
                Cells.DriverState(p.DriverState),
                Cells.Number(p.TotalCapacityGb),
                Cells.Number(p.FreeCapacityGb),
                Cells.Number(p.ProvisionedCapacityGb),
                Cells.Text(Limit(p)));
        }

        return table;
    }
}
