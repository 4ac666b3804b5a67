using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Services;

/// <summary><c>kiln service show HOST@BACKEND</c>: one backend's whole story, the error uncut.</summary>
internal static class ServiceShowCommand
{
    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var host = new Argument<string>("host") { Description = "The backend as host@backend (or a service's host), as `kiln service list` shows it.", HelpName = "HOST@BACKEND" };
        var command = new Command(
            "show",
            "Show one backend in full: status and heartbeat, driver state and since when, the last error uncut, "
            + "re-initializations used of the budget, the next attempt, and the initialization attempts by outcome since the service started.")
        {
            host,
        };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var name = run.Get(host);
            var services = await run.Api.ListServicesAsync(cancellationToken).ConfigureAwait(false);
            // A backend first (host@backend names one volume service); a bare host names the scheduler.
            var service = services.FirstOrDefault(s => s.Host == name && s.DriverState is not null) ?? services.FirstOrDefault(s => s.Host == name)
                ?? throw new CliException(
                    ExitCodes.NotFound,
                    $"no service has host '{name}'; known: {string.Join(", ", services.Select(s => s.Host).Distinct(StringComparer.Ordinal))}");
            var attempts = service.DriverState is null ? null : await run.Api.InitAttemptsAsync(service.Host, cancellationToken).ConfigureAwait(false);
            run.Output.Show(new ServiceDetails(service, attempts), d => ServiceViews.Details(run.Output, d, run.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
    }
}
