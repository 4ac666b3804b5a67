namespace Kiln.Server.Messaging;

/// <summary>
/// The ack/nack decision shared by every bus: runs a handler on one delivery and says whether to
/// acknowledge, deliver again (after waiting the backoff) or dead-letter. One place, so both buses
/// count, wait, log and measure alike.
/// </summary>
internal sealed class DeliveryRunner(RedeliveryPolicy policy, MessagingMetrics metrics, TimeProvider timeProvider, ILogger logger)
{
    public RedeliveryPolicy Policy => policy;

    /// <summary>Called once per subscription: the queue's counters exist from the start.</summary>
    public void Track(string queue) => metrics.Track(queue);

    public async Task<DeliveryOutcome> RunAsync(MessageDelivery delivery, Func<MessageDelivery, CancellationToken, Task> handler, CancellationToken stoppingToken)
    {
        if (delivery.SentAt is { } sentAt)
        {
            metrics.Waited(delivery.Queue, delivery.Message, timeProvider.GetUtcNow() - sentAt);
        }

        var started = timeProvider.GetTimestamp();
        try
        {
            await handler(delivery, stoppingToken).ConfigureAwait(false);
            metrics.Handled(delivery.Queue, delivery.Message, timeProvider.GetElapsedTime(started));
            return DeliveryOutcome.Ack;
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Abandon;
        }
        catch (Exception ex)
        {
            metrics.Handled(delivery.Queue, delivery.Message, timeProvider.GetElapsedTime(started));
            var name = delivery.Message.GetType().Name;
            if (policy.IsExhausted(delivery.DeliveryCount))
            {
                MessagingLog.DeadLettered(logger, delivery.Queue, name, delivery.DeliveryCount, ex);
                metrics.DeadLettered(delivery.Queue);
                return DeliveryOutcome.DeadLetter;
            }

            var backoff = policy.BackoffAfter(delivery.DeliveryCount);
            MessagingLog.HandlerFailed(logger, delivery.Queue, name, delivery.DeliveryCount, policy.MaxDeliveries, backoff.TotalSeconds, ex);
            metrics.Redelivered(delivery.Queue);
            try
            {
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return DeliveryOutcome.Abandon;
            }

            return DeliveryOutcome.Redeliver;
        }
    }
}
