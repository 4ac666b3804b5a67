namespace Kiln.Server.Services;

/// <summary>
/// Runs the <see cref="IDatabaseStartupStep"/>s in the background from the moment the host starts,
/// then opens <see cref="DatabaseStartup"/>. A step that fails stops the process: <c>kiln serve</c>
/// reports the reason and exits with code 2, as for any other start-up error.
/// </summary>
internal sealed partial class DatabaseStartupService(
    IEnumerable<IDatabaseStartupStep> steps, DatabaseStartup startup, IHostApplicationLifetime lifetime, ILogger<DatabaseStartupService> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;

    // StartingAsync runs before every hosted service's StartAsync, so the database work overlaps the
    // rest of start-up, the web server's included.
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // The token is taken here: read inside the lambda it would throw if the host disposed this service first.
        var token = stopping.Token;
        running = Task.Run(() => RunAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => stopping.CancelAsync();

    public Task StopAsync(CancellationToken cancellationToken) => running.WaitAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The host disposes its services without stopping them when its start fails (a port in use): the steps
    // then meet disposed services. Cancelling first makes that a stop, not a database failure.
    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var step in steps)
            {
                await step.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            startup.Complete();
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is ObjectDisposedException)
        {
            // Stopping, or the host tearing its services down after another start-up failure (which it
            // reports itself): a "Database start-up failed … ObjectDisposed" beside it only misled.
            LogStoppedDuringStartup(logger, ex.GetType().Name);
            startup.Fail(new OperationCanceledException("Kiln stopped before the database was ready.", ex));
        }
        catch (Exception ex)
        {
            LogStartupFailed(logger, ex);
            startup.Fail(ex);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(1940, LogLevel.Debug, "Database start-up ended because Kiln is stopping ({Exception})")]
    private static partial void LogStoppedDuringStartup(ILogger logger, string exception);

    [LoggerMessage(120, LogLevel.Critical, "Database start-up failed; Kiln stops")]
    private static partial void LogStartupFailed(ILogger logger, Exception exception);
}
