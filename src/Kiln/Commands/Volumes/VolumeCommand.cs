using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary><c>kiln volume …</c>.</summary>
internal static class VolumeCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "volume",
            "Create, list, show, extend and delete volumes.",
            VolumeCreateCommand.Create(options, time),
            VolumeListCommand.Create(options, time),
            VolumeShowCommand.Create(options, time),
            VolumeExtendCommand.Create(options, time),
            VolumeDeleteCommand.Create(options, time));
    }
}
