using System.Diagnostics.Metrics;
using Kiln.Server.Telemetry;

namespace Kiln.Server.Messaging;

/// <summary><c>kiln_messages_dead_lettered_total{queue}</c> and <c>kiln_messages_redelivered_total{queue}</c>.</summary>
internal sealed class MessagingMetrics
{
    private readonly Counter<long> deadLettered;
    private readonly Counter<long> redelivered;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MetricNames.Meter);
        deadLettered = meter.CreateCounter<long>(MetricNames.MessagesDeadLettered, "{message}",
            "Messages moved aside after their handler failed on every allowed delivery; each needs an operator's look.");
        redelivered = meter.CreateCounter<long>(MetricNames.MessagesRedelivered, "{message}",
            "Messages delivered again after their handler failed.");
    }

    /// <summary>Starts both series of <paramref name="queue"/> at 0, so that <c>increase()</c> sees its first dead letter.</summary>
    public void Track(string queue)
    {
        var label = new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue);
        deadLettered.Add(0, label);
        redelivered.Add(0, label);
    }

    public void DeadLettered(string queue) => deadLettered.Add(1, new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue));

    public void Redelivered(string queue) => redelivered.Add(1, new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue));
}
