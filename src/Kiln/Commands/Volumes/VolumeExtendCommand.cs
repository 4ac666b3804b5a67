using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume extend VOLUME SIZE [--wait]</c>.</summary>
internal static class VolumeExtendCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var volume = new Argument<string>("volume") { Description = "Volume id or name." };
        var size = new Argument<int>("size") { Description = "The new size in GB; larger than the current size.", CustomParser = Parsers.Gigabytes("size") };
        var wait = new WaitOptions("the volume is available at its new size");
        var command = new Command("extend", "Grow a volume.") { volume, size };
        wait.AddTo(command);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var target = await VolumeLookup.FindAsync(run.Api, run.Get(volume), cancellationToken).ConfigureAwait(false);
            await run.Api.ExtendVolumeAsync(target.Id, run.Get(size), cancellationToken).ConfigureAwait(false);
            var extending = await run.Api.GetVolumeAsync(target.Id, cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                VolumeViews.Show(run.Output, extending);
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync(
                $"volume {target.Id}",
                extending,
                token => run.Api.GetVolumeAsync(target.Id, token),
                v => v.Status != "extending",
                v => v.Status,
                timeout,
                cancellationToken).ConfigureAwait(false);
            VolumeViews.Show(run.Output, outcome.Last);
            return Settling.Check(outcome, $"volume {target.Id}", timeout, v => v.Status, v => v.Status == "available", v => v.ErrorReason);
        });
    }
}
