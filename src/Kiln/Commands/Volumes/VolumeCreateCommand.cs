using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Commands.Snapshots;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume create --size N [--name] [--type] [--snapshot] [--source-volume] [--wait]</c>.</summary>
internal static class VolumeCreateCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var size = new Option<int?>("--size")
        {
            Description = "Size in GB. Default: the size of the snapshot or source volume.",
            HelpName = "GB",
            CustomParser = result => Parsers.Gigabytes("--size")(result),
        };
        var name = new Option<string?>("--name") { Description = "Volume name." };
        var description = new Option<string?>("--description") { Description = "Volume description." };
        var type = new Option<string?>("--type") { Description = "Volume type (name or id). Default: the server's default type.", HelpName = "TYPE" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Create the volume from this snapshot (id or name).", HelpName = "SNAPSHOT" };
        var source = new Option<string?>("--source-volume") { Description = "Create the volume as a clone of this volume (id or name).", HelpName = "VOLUME" };
        var wait = new WaitOptions("the volume is available");
        var command = new Command("create", "Create a volume.") { size, name, description, type, snapshot, source };
        wait.AddTo(command);
        command.Validators.Add(result =>
        {
            // Presence only: reading a value that failed to parse would throw instead of reporting it.
            var fromSnapshot = result.GetResult(snapshot) is not null;
            var fromVolume = result.GetResult(source) is not null;
            if (fromSnapshot && fromVolume)
            {
                result.AddError("give at most one of --snapshot and --source-volume");
            }
            else if (result.GetResult(size) is null && !fromSnapshot && !fromVolume)
            {
                result.AddError("give the size with --size (or create from --snapshot or --source-volume)");
            }
        });

        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var snapshotId = run.Get(snapshot) is { } fromSnapshot
                ? (await SnapshotLookup.FindAsync(run.Api, fromSnapshot, cancellationToken).ConfigureAwait(false)).Id
                : null;
            var sourceId = run.Get(source) is { } fromVolume
                ? (await VolumeLookup.FindAsync(run.Api, fromVolume, cancellationToken).ConfigureAwait(false)).Id
                : null;
            var request = new VolumeCreateRequest(run.Get(size), run.Get(name), run.Get(description), run.Get(type), snapshotId, sourceId);
            var created = await run.Api.CreateVolumeAsync(request, cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                VolumeViews.Show(run.Output, created);
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync(
                $"volume {created.Id}",
                created,
                token => run.Api.GetVolumeAsync(created.Id, token),
                v => v.Status != "creating",
                v => v.Status,
                timeout,
                cancellationToken).ConfigureAwait(false);
            // The volume is printed whatever the outcome: a script needs its id to clean up.
            VolumeViews.Show(run.Output, outcome.Last);
            return Settling.Check(outcome, $"volume {created.Id}", timeout, v => v.Status, v => v.Status == "available", v => v.ErrorReason);
        });
    }
}
