using System.CommandLine;

namespace Kiln.Cli.Commands.Config;

/// <summary><c>kiln config …</c>.</summary>
internal static class ConfigCommand
{
    public static Command Create() =>
        new("config", "Work with kiln.conf.") { ConfigCheckCommand.Create() };
}
