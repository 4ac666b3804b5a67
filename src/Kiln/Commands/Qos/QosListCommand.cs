using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Qos;

/// <summary><c>kiln qos list</c>: every QoS specs entity with its consumer and keys.</summary>
internal static class QosListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List QoS specs with their consumer and keys.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var specs = await run.Api.ListQosSpecsAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(specs, s => QosViews.List(run.Output, s));
            return ExitCodes.Ok;
        });
    }
}
