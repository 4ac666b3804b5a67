using Kiln.Server.Backends;

namespace Kiln.Server.Dashboard;

/// <summary>
/// Feeds <see cref="BackendHistory"/> from every local backend's state changes. Registered before the
/// backend loops start, so the first transition is not missed.
/// </summary>
internal sealed class BackendHistoryRecorder(BackendCatalog backends, BackendHistory history) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var host in backends.Hosts)
        {
            var first = host.Snapshot;
            history.Record(first.Host, first.State, first.Since, first.ErrorText);
            host.Changed += (previous, next) =>
            {
                if (previous.State != next.State)
                {
                    history.Record(next.Host, next.State, next.Since, next.ErrorText);
                }
            };
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
