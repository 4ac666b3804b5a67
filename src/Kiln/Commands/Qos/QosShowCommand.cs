using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Qos;

/// <summary><c>kiln qos show QOS</c>: one QoS specs entity by id or name, with the volume types it is associated with.</summary>
internal static class QosShowCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var qos = new Argument<string>("qos") { Description = "QoS specs id or name." };
        var command = new Command("show", "Show QoS specs: consumer, keys and the volume types associated with them.") { qos };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var wanted = run.Get(qos);

            // The API finds specs by id only; a name is looked up in the list, as the type commands take either.
            var all = await run.Api.ListQosSpecsAsync(cancellationToken).ConfigureAwait(false);
            var matches = all.Where(s => s.Id == wanted).ToList() is { Count: 1 } byId ? byId : all.Where(s => s.Name == wanted).ToList();
            var found = matches.Count switch
            {
                1 => matches[0],
                0 => throw new CliException(ExitCodes.NotFound, $"no QoS specs have id or name '{wanted}'"),
                _ => throw new CliException(ExitCodes.Conflict, $"{matches.Count} QoS specs are named '{wanted}'; give the id"),
            };
            var specs = await run.Api.GetQosSpecsAsync(found.Id, cancellationToken).ConfigureAwait(false);
            run.Output.Show(specs, s => QosViews.Details(run.Output, s));
            return ExitCodes.Ok;
        });
    }
}
