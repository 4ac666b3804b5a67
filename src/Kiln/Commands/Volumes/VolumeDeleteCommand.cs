using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume delete VOLUME [--wait]</c>; with --wait, until the volume is gone (404).</summary>
internal static class VolumeDeleteCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var volume = new Argument<string>("volume") { Description = "Volume id or name." };
        var wait = new WaitOptions("the volume is gone");
        var command = new Command("delete", "Delete a volume.") { volume };
        wait.AddTo(command);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var target = await VolumeLookup.FindAsync(run.Api, run.Get(volume), cancellationToken).ConfigureAwait(false);
            await run.Api.DeleteVolumeAsync(target.Id, cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                run.Output.Report(new DeletionRecord(target.Id, "deleting"), $"Volume {target.Id} is being deleted.");
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync<VolumeRecord?>(
                $"volume {target.Id}",
                target with { Status = "deleting" },
                token => run.Api.FindVolumeAsync(target.Id, token),
                v => v is null || v.Status != "deleting",
                v => v?.Status ?? "deleted",
                timeout,
                cancellationToken).ConfigureAwait(false);
            var status = outcome.Last?.Status ?? "deleted";
            run.Output.Report(new DeletionRecord(target.Id, status), status == "deleted" ? $"Volume {target.Id} deleted." : $"Volume {target.Id} is {status}.");
            return Settling.Check(outcome, $"volume {target.Id}", timeout, v => v?.Status ?? "deleted", v => v is null, v => v?.ErrorReason);
        });
    }
}
