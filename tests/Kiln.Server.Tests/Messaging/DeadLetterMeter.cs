using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kiln.Server.Telemetry;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// Listens to one meter's <c>kiln.messages.*</c> instruments: sums the counters per instrument and queue, and
/// keeps every histogram measurement (the per-hop times) with its queue and message labels.
/// </summary>
internal sealed class DeadLetterMeter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Queue), long> totals = new();
    private readonly ConcurrentQueue<(string Instrument, string Queue, string? Message, double Value)> measured = new();

    public DeadLetterMeter(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var queue = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == MetricNames.QueueLabel)
                {
                    queue = (string)tag.Value!;
                }
            }

            totals.AddOrUpdate((instrument.Name, queue), value, (_, total) => total + value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string queue = string.Empty, message = null!;
            foreach (var tag in tags)
            {
                if (tag.Key == MetricNames.QueueLabel)
                {
                    queue = (string)tag.Value!;
                }
                else if (tag.Key == MetricNames.MessageLabel)
                {
                    message = (string)tag.Value!;
                }
            }

            measured.Enqueue((instrument.Name, queue, message, value));
        });
        listener.Start();
    }

    public long Total(string instrument, string queue) => totals.GetValueOrDefault((instrument, queue));

    /// <summary>The values a histogram recorded for <paramref name="queue"/>, with their message label (null when it has none).</summary>
    public IReadOnlyList<(string? Message, double Value)> Values(string instrument, string queue) =>
        [.. measured.Where(m => m.Instrument == instrument && m.Queue == queue).Select(m => (m.Message, m.Value))];

    public void Dispose() => listener.Dispose();
}
