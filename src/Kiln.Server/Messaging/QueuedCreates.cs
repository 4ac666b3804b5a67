using Kiln.Core.Volumes;

namespace Kiln.Server.Messaging;

/// <summary>
/// Resumes a create left <c>creating</c> by a node that died, over a bus whose messages survive it: the
/// create is queued to its backend again, so it is carried out whether its first message is still queued,
/// redelivered, or gone (dead-lettered, or its sender died before sending). The handler acts on the
/// database status, so the duplicate of a message still queued finds the volume available and does
/// nothing. Over the in-process bus nothing is queued and the clean-up ends the create in error.
/// </summary>
internal sealed partial class QueuedCreates(IMessageBus bus, ILogger<QueuedCreates> logger) : IInterruptedCreates
{
    public Task<bool> TryResumeVolumeAsync(Volume volume, CancellationToken cancellationToken) =>
        volume.BackendHost is { } backend ? TrySendAsync(backend, new CreateVolume(volume.Id), cancellationToken) : Task.FromResult(false);

    public Task<bool> TryResumeSnapshotAsync(Snapshot snapshot, string backendHost, CancellationToken cancellationToken) =>
        TrySendAsync(backendHost, new CreateSnapshot(snapshot.Id), cancellationToken);

    private async Task<bool> TrySendAsync(string backend, KilnMessage message, CancellationToken cancellationToken)
    {
        if (!bus.IsDurable)
        {
            return false;
        }

        try
        {
            await bus.SendAsync(Queues.Volume(backend), message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MessagingUnavailableException ex)
        {
            // No broker to queue it on now: end it in error with the reason rather than leave it creating.
            LogResumeRefused(logger, backend, message.ToString() ?? backend, ex);
            return false;
        }
    }

    [LoggerMessage(2854, LogLevel.Warning, "Backend {Backend}: {Message} could not be queued again (message service unavailable); the create ends in error")]
    private static partial void LogResumeRefused(ILogger logger, string backend, string message, Exception exception);
}
