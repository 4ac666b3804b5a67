using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary><c>kiln snapshot delete SNAPSHOT [--wait]</c>; with --wait, until the snapshot is gone (404).</summary>
internal static class SnapshotDeleteCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot id or name." };
        var wait = new WaitOptions("the snapshot is gone");
        var command = new Command("delete", "Delete a snapshot.") { snapshot };
        wait.AddTo(command);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var target = await SnapshotLookup.FindAsync(run.Api, run.Get(snapshot), cancellationToken).ConfigureAwait(false);
            await run.Api.DeleteSnapshotAsync(target.Id, cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                run.Output.Report(new DeletionRecord(target.Id, "deleting"), $"Snapshot {target.Id} is being deleted.");
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync<SnapshotRecord?>(
                $"snapshot {target.Id}",
                target with { Status = "deleting" },
                token => run.Api.FindSnapshotAsync(target.Id, token),
                s => s is null || s.Status != "deleting",
                s => s?.Status ?? "deleted",
                timeout,
                cancellationToken).ConfigureAwait(false);
            var status = outcome.Last?.Status ?? "deleted";
            run.Output.Report(new DeletionRecord(target.Id, status), status == "deleted" ? $"Snapshot {target.Id} deleted." : $"Snapshot {target.Id} is {status}.");
            return Settling.Check(outcome, $"snapshot {target.Id}", timeout, s => s?.Status ?? "deleted", s => s is null, s => s?.ErrorReason);
        });
    }
}
