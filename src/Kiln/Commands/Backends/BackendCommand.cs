using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Backends;

/// <summary><c>kiln backend …</c>.</summary>
internal static class BackendCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun("backend", "Operate storage backends.", BackendReinitCommand.Create(options, time));
    }
}
