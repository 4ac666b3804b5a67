using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume list [--name NAME] [--status STATUS] [--all-projects]</c>.</summary>
internal static class VolumeListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var name = new Option<string?>("--name") { Description = "Only volumes with exactly this name." };
        var status = new Option<string?>("--status") { Description = "Only volumes in this status (available, error, …)." };
        var allProjects = new Option<bool>("--all-projects") { Description = "Every project's volumes (administrators; Cinder's all_tenants)." };
        var command = new Command("list", "List the project's volumes.") { name, status, allProjects };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var volumes = await run.Api.ListVolumesAsync(run.Get(name), run.Get(status), cancellationToken, run.Get(allProjects)).ConfigureAwait(false);
            run.Output.Show(volumes, v => VolumeViews.List(run.Output, v));
            return ExitCodes.Ok;
        });
    }
}
