using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary><c>kiln snapshot …</c>.</summary>
internal static class SnapshotCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "snapshot",
            "Create, list and delete volume snapshots.",
            SnapshotCreateCommand.Create(options, time),
            SnapshotListCommand.Create(options, time),
            SnapshotDeleteCommand.Create(options, time));
    }
}
