using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Commands.Volumes;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary><c>kiln snapshot create VOLUME [--name] [--description] [--wait]</c>.</summary>
internal static class SnapshotCreateCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var volume = new Argument<string>("volume") { Description = "The volume to snapshot (id or name)." };
        var name = new Option<string?>("--name") { Description = "Snapshot name." };
        var description = new Option<string?>("--description") { Description = "Snapshot description." };
        var wait = new WaitOptions("the snapshot is available");
        var command = new Command("create", "Snapshot a volume.") { volume, name, description };
        wait.AddTo(command);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var source = await VolumeLookup.FindAsync(run.Api, run.Get(volume), cancellationToken).ConfigureAwait(false);
            var created = await run.Api.CreateSnapshotAsync(source.Id, run.Get(name), run.Get(description), cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                SnapshotViews.Show(run.Output, created);
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync(
                $"snapshot {created.Id}",
                created,
                token => run.Api.GetSnapshotAsync(created.Id, token),
                s => s.Status != "creating",
                s => s.Status,
                timeout,
                cancellationToken).ConfigureAwait(false);
            SnapshotViews.Show(run.Output, outcome.Last);
            return Settling.Check(outcome, $"snapshot {created.Id}", timeout, s => s.Status, s => s.Status == "available", s => s.ErrorReason);
        });
    }
}
