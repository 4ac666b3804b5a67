using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kiln.Server.Telemetry;

namespace Kiln.Server.Messaging;

/// <summary>
/// <c>kiln_messages_dead_lettered_total{queue}</c>, <c>kiln_messages_redelivered_total{queue}</c>, and the time a
/// message spends on each hop: waiting in its queue (<c>kiln_messages_wait_seconds</c>), in its handler
/// (<c>kiln_messages_handling_seconds</c>) and, over RabbitMQ, being sent (<c>kiln_messages_send_seconds</c>).
/// Summed over the nodes a request passes (API, scheduler, volume), they say where its time goes.
/// </summary>
internal sealed class MessagingMetrics
{
    // From a millisecond (an in-process hand-over) to half a minute (a backlog behind a slow driver).
    private static readonly double[] HopBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> deadLettered;
    private readonly Counter<long> redelivered;
    private readonly Histogram<double> wait;
    private readonly Histogram<double> handling;
    private readonly Histogram<double> send;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MetricNames.Meter);
        deadLettered = meter.CreateCounter<long>(MetricNames.MessagesDeadLettered, "{message}",
            "Messages moved aside after their handler failed on every allowed delivery; each needs an operator's look.");
        redelivered = meter.CreateCounter<long>(MetricNames.MessagesRedelivered, "{message}",
            "Messages delivered again after their handler failed.");
        wait = meter.CreateHistogram(MetricNames.MessagesWait, "s",
            "Time from a message's send to the start of its handler: the queue's backlog plus the hand-over (clocks of the sending and the handling node).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HopBuckets });
        handling = meter.CreateHistogram(MetricNames.MessagesHandling, "s",
            "Time a message's handler ran, whatever its outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HopBuckets });
        send = meter.CreateHistogram(MetricNames.MessagesSend, "s",
            "Time a RabbitMQ send took until the broker confirmed it (persisted, for a durable queue).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HopBuckets });
    }

    /// <summary>Starts both series of <paramref name="queue"/> at 0, so that <c>increase()</c> sees its first dead letter.</summary>
    public void Track(string queue)
    {
        var label = new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue);
        deadLettered.Add(0, label);
        redelivered.Add(0, label);
    }

    public void DeadLettered(string queue) => deadLettered.Add(1, new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue));

    public void Waited(string queue, KilnMessage message, TimeSpan time) => wait.Record(Math.Max(time.TotalSeconds, 0), Labels(queue, message));

    public void Handled(string queue, KilnMessage message, TimeSpan time) => handling.Record(time.TotalSeconds, Labels(queue, message));

    public void Sent(string queue, TimeSpan time) => send.Record(time.TotalSeconds, new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue));

    public void Redelivered(string queue) => redelivered.Add(1, new KeyValuePair<string, object?>(MetricNames.QueueLabel, queue));

    private static TagList Labels(string queue, KilnMessage message) => new()
    {
        { MetricNames.QueueLabel, queue },
        { MetricNames.MessageLabel, message.GetType().Name },
    };
}
