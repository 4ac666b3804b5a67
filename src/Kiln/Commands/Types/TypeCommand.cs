using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Types;

/// <summary><c>kiln type …</c>.</summary>
internal static class TypeCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "type",
            "Create and list volume types, and set their extra specs.",
            TypeCreateCommand.Create(options, time),
            TypeListCommand.Create(options, time),
            TypeSetCommand.Create(options, time));
    }
}
