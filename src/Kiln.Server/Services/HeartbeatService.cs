using Kiln.Server.Configuration;

namespace Kiln.Server.Services;

/// <summary>Updates every live service's heartbeat each <c>report_interval</c>.</summary>
internal sealed partial class HeartbeatService(
    ServiceDirectory directory, DatabaseStartup startup, KilnConfiguration configuration, TimeProvider timeProvider, ILogger<HeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await startup.WaitUntilReadyAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        // The database start-up recorded the first heartbeat; this one beats every report_interval after it.
        using var timer = new PeriodicTimer(configuration.ReportInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await directory.HeartbeatAsync(stoppingToken).ConfigureAwait(false);
                await directory.ListAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed tick (database busy or gone) must not stop the host; the next one tries again.
                LogHeartbeatFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(100, LogLevel.Warning, "Heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
