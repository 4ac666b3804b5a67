using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Services;

/// <summary><c>kiln service list</c>: os-services with Kiln's lifecycle fields.</summary>
internal static class ServiceListCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var command = new Command("list", "List services; volume backends show their driver state, last error, attempts and next attempt.");
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var services = await run.Api.ListServicesAsync(cancellationToken).ConfigureAwait(false);
            run.Output.Show(services, s => ServiceViews.List(run.Output, s, run.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
    }
}
