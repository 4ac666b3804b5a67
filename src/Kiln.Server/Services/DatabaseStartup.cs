namespace Kiln.Server.Services;

/// <summary>
/// The database's start-up work (migrations, this node's service records, the clean-up of what a
/// previous process left behind) runs in the background, so the API listens at once whatever the
/// database or the backends do. Whatever needs the database waits here first: API requests (see
/// <see cref="Api.DatabaseStartupGate"/>), the heartbeat, the snapshot writer, and each backend's
/// init clean-up.
/// </summary>
public sealed class DatabaseStartup
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the database is ready for use.</summary>
    public bool IsComplete => done.Task.IsCompletedSuccessfully;

    /// <summary>Why start-up failed, or null while it runs or after it succeeded.</summary>
    public Exception? Failure => done.Task.IsFaulted ? done.Task.Exception.InnerException : null;

    /// <summary>Completes when the database is ready; throws the start-up failure if there was one.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => done.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// For background services: waits until the database is ready and says whether to go on; false
    /// when start-up failed or the service is stopping (the failure is reported once, by the start-up).
    /// </summary>
    public async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (done.Task.IsFaulted || cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    internal void Complete() => done.TrySetResult();

    internal void Fail(Exception exception) => done.TrySetException(exception);
}

/// <summary>One piece of start-up work on the database; steps run once, in registration order.</summary>
internal interface IDatabaseStartupStep
{
    Task RunAsync(CancellationToken cancellationToken);
}
