using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume show ID-or-NAME</c>.</summary>
internal static class VolumeShowCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var volume = new Argument<string>("volume") { Description = "Volume id or name (a name must be unique)." };
        var command = new Command("show", "Show one volume.") { volume };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            VolumeViews.Show(run.Output, await VolumeLookup.FindAsync(run.Api, run.Get(volume), cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
    }
}
