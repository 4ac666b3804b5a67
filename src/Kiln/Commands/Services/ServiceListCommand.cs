using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Services;

/// <summary><c>kiln service list</c>: os-services with Kiln's lifecycle fields.</summary>
internal static class ServiceListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List services, fitted to the terminal's width (or $COLUMNS, else 120 when not a terminal). Columns without a value are left out. "
            + "State: up/down (heartbeat), ', disabled' when disabled. Driver state: the backend's lifecycle state. "
            + "Attempts: re-initializations used / reinit_driver_count (0 = unlimited). Next attempt: when the next automatic re-initialization is due. "
            + "Last error: cut to fit; 'kiln service show HOST@BACKEND' shows it whole, and -o json every field.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var services = await run.Api.ListServicesAsync(cancellationToken).ConfigureAwait(false);
            if (run.Output.IsJson)
            {
                run.Output.WriteJson(services);
            }
            else
            {
                ServiceViews.WriteList(run.Output, services, run.Time.GetUtcNow());
            }

            return ExitCodes.Ok;
        });
    }
}
