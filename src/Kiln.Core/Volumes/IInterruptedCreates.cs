namespace Kiln.Core.Volumes;

/// <summary>
/// How the start-up clean-up resumes a create it finds <c>creating</c> on its backend. Over a durable bus
/// (RabbitMQ) the create's message outlives the process, or may be on its way again (redelivered when
/// the node died holding it): such a create is carried out, not ended in error. Over the in-process bus
/// the message died with the process, so there is nothing to resume and the clean-up ends it in error.
/// </summary>
public interface IInterruptedCreates
{
    /// <summary>
    /// Makes sure a create message for <paramref name="volume"/> is queued to its backend (a duplicate of
    /// one still queued is harmless: the handler acts on <c>creating</c> only). False when it cannot be
    /// resumed (a bus that does not survive a restart, or a send refused): the clean-up ends it in error.
    /// </summary>
    Task<bool> TryResumeVolumeAsync(Volume volume, CancellationToken cancellationToken);

    /// <summary>The same for a snapshot of a volume on <paramref name="backendHost"/>.</summary>
    Task<bool> TryResumeSnapshotAsync(Snapshot snapshot, string backendHost, CancellationToken cancellationToken);
}
