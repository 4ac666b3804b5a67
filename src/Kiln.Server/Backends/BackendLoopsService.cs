using Kiln.Core.Lifecycle;

namespace Kiln.Server.Backends;

/// <summary>
/// Runs every backend's lifecycle loop on its own task. Start returns at once (the API answers while
/// backends initialize); stop cancels the loops, which abandon hung driver calls.
/// </summary>
internal sealed partial class BackendLoopsService(BackendCatalog catalog, ILogger<BackendLoopsService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task[] loops = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loops = [.. catalog.Hosts.Select(host => Task.Run(() => RunAsync(host), CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(logger);
        }
    }

    public void Dispose() => stopping.Dispose();

    private async Task RunAsync(BackendHost host)
    {
        try
        {
            await host.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in one loop must not take the process or the other backends down.
            LogLoopCrashed(logger, host.Host, ex);
        }
    }

    [LoggerMessage(300, LogLevel.Error, "Backend {Backend}: lifecycle loop crashed")]
    private static partial void LogLoopCrashed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(301, LogLevel.Warning, "Backend loops did not stop within the shutdown timeout")]
    private static partial void LogStopTimedOut(ILogger logger);
}
