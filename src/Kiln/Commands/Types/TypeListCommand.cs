using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Types;

/// <summary><c>kiln type list</c>: every type, private ones included, with its extra specs.</summary>
internal static class TypeListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List volume types with their extra specs.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var types = await run.Api.ListTypesAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(types, t => TypeViews.List(run.Output, t));
            return ExitCodes.Ok;
        });
    }
}
