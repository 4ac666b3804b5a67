using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Types;

/// <summary><c>kiln type create NAME [--description TEXT]</c>.</summary>
internal static class TypeCreateCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "Type name; unique." };
        var description = new Option<string?>("--description") { Description = "Type description." };
        var command = new Command("create", "Create a volume type.") { name, description };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            TypeViews.Show(run.Output, await run.Api.CreateTypeAsync(run.Get(name), run.Get(description), cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
    }
}
