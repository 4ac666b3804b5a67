namespace Kiln.Server.Messaging;

/// <summary>
/// A request's send with the undo of the claim it made before it: when the broker cannot take the
/// message (<see cref="MessagingUnavailableException"/>), the row written in a transitional status is put
/// back as it was (a new volume or snapshot removed, a delete or extend returned to its earlier status),
/// so the request answered 503 changed nothing and nothing waits in <c>creating</c> or <c>deleting</c>
/// for a message that was never queued. Cinder's create flow does the same on a failed cast: its
/// revert gives the quota back and destroys the entry.
/// </summary>
internal static class SendOrUndo
{
    /// <summary>Sends <paramref name="message"/>; if the broker refuses it, runs <paramref name="undo"/> and rethrows.</summary>
    public static async ValueTask SendOrUndoAsync(
        this IMessageBus bus, string queue, KilnMessage message, Func<CancellationToken, Task> undo, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await bus.SendAsync(queue, message, cancellationToken).ConfigureAwait(false);
        }
        catch (MessagingUnavailableException)
        {
            try
            {
                // Not the request's token: a client that hangs up must not leave the claim half undone.
                await undo(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The request still fails with 503. Were the message published after all (a lost confirm),
                // its handler finds the row as claimed; otherwise the backend's start-up clean-up ends it.
                MessagingLog.UndoFailed(logger, message.ToString() ?? queue, ex);
            }

            throw;
        }
    }
}
