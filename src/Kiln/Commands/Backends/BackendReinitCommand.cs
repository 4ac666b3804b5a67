using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Commands.Services;

namespace Kiln.Cli.Commands.Backends;

/// <summary>
/// <c>kiln backend reinit HOST@BACKEND [--wait]</c>: re-initializes a backend now (resetting its budget);
/// with --wait, until the attempt ends: ready or degraded exit 0, any failed state exits 7 with the driver error.
/// </summary>
internal static class BackendReinitCommand
{
    private const string Initializing = "initializing";

    public static Command Create(ClientOptions options, TimeProvider time)
    {
        var backend = new Argument<string>("backend") { Description = "The backend as host@backend, as `kiln service list` shows it.", HelpName = "HOST@BACKEND" };
        backend.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            var at = value.IndexOf('@', StringComparison.Ordinal);
            if (at < 1 || at == value.Length - 1)
            {
                result.AddError($"'{value}' is not host@backend, for example node1@fast as kiln service list shows it");
            }
        });
        var wait = new WaitOptions("the attempt has finished");
        var command = new Command("reinit", "Re-initialize a backend's driver now, resetting its re-initialization budget.") { backend };
        wait.AddTo(command);
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var host = run.Get(backend);
            // The state before the request is the baseline: the answer to it may already show the
            // attempt running, or (for a driver that fails at once) already finished.
            var before = await run.Api.FindBackendAsync(host, cancellationToken).ConfigureAwait(false);
            var accepted = await run.Api.ReinitAsync(host, cancellationToken).ConfigureAwait(false);
            if (wait.Read(run) is not { } timeout)
            {
                run.Output.Report(accepted ?? before, $"Re-initialization of {host} requested (it was {before?.DriverState ?? "not reported yet"}).");
                return ExitCodes.Ok;
            }

            var outcome = await run.Waiter.WaitAsync(
                $"backend {host}",
                accepted,
                token => run.Api.FindBackendAsync(host, token),
                s => HasSettled(s, before),
                s => s?.DriverState ?? "unknown",
                timeout,
                cancellationToken).ConfigureAwait(false);
            if (outcome.Last is { } last)
            {
                if (run.Output.IsJson)
                {
                    run.Output.WriteJson(last);
                }
                else
                {
                    ServiceViews.WriteList(run.Output, [last], run.Time.GetUtcNow());
                }
            }

            return Settling.Check(
                outcome,
                $"backend {host}",
                timeout,
                s => s?.DriverState ?? "unknown",
                s => s?.DriverState is "ready" or "degraded",
                s => s?.DriverError);
        });
    }

    /// <summary>
    /// The request only wakes the backend's loop, and a driver that fails at once may have finished its
    /// attempt before the answer is written. So the attempt has ended once the backend is out of
    /// <c>initializing</c> and has changed state (or re-entered it, a newer since) since before the request.
    /// </summary>
    private static bool HasSettled(ServiceRecord? current, ServiceRecord? before) =>
        current?.DriverState is { } state
        && state != Initializing
        && (before is null || state != before.DriverState || current.DriverStateSince > before.DriverStateSince);
}
