using System.Runtime.InteropServices;

namespace Kiln.Server.Backends;

/// <summary>
/// SIGHUP re-reads kiln.conf and re-initializes exactly the backends whose sections changed
/// (<see cref="BackendCatalog.Reload"/>), as daemons conventionally do; the process keeps running.
/// </summary>
internal sealed partial class ReloadOnSighup(BackendCatalog catalog, ILogger<ReloadOnSighup> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private PosixSignalRegistration? registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        }
        catch (PlatformNotSupportedException)
        {
            // Windows has no SIGHUP; a manual re-initialization still reads the section again.
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registration?.Dispose();
        registration = null;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        registration?.Dispose();
        oneAtATime.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // SIGHUP's default action ends the process.
        context.Cancel = true;
        LogSignal(logger);
        _ = Task.Run(ReloadAsync);
    }

    private async Task ReloadAsync()
    {
        await oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            catalog.Reload();
        }
        catch (Exception ex)
        {
            LogReloadCrashed(logger, ex);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    [LoggerMessage(1820, LogLevel.Information, "SIGHUP received: reading the configuration again")]
    private static partial void LogSignal(ILogger logger);

    [LoggerMessage(1821, LogLevel.Error, "Configuration reload after SIGHUP failed")]
    private static partial void LogReloadCrashed(ILogger logger, Exception exception);
}
