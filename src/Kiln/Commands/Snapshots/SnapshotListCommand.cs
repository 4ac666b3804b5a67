using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Commands.Volumes;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary><c>kiln snapshot list [--volume VOLUME] [--name NAME]</c>.</summary>
internal static class SnapshotListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var volume = new Option<string?>("--volume") { Description = "Only snapshots of this volume (id or name).", HelpName = "VOLUME" };
        var name = new Option<string?>("--name") { Description = "Only snapshots with exactly this name." };
        var command = new Command("list", "List the project's snapshots.") { volume, name };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var volumeId = run.Get(volume) is { } of ? (await VolumeLookup.FindAsync(run.Api, of, cancellationToken).ConfigureAwait(false)).Id : null;
            var snapshots = await run.Api.ListSnapshotsAsync(run.Get(name), volumeId, cancellationToken).ConfigureAwait(false);
            run.Output.Show(snapshots, s => SnapshotViews.List(run.Output, s));
            return ExitCodes.Ok;
        });
    }
}
