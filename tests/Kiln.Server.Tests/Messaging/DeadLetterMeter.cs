using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kiln.Server.Telemetry;

namespace Kiln.Server.Tests.Messaging;

/// <summary>Listens to one meter's <c>kiln.messages.*</c> counters and sums them per instrument and queue.</summary>
internal sealed class DeadLetterMeter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Queue), long> totals = new();

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
        listener.Start();
    }

    public long Total(string instrument, string queue) => totals.GetValueOrDefault((instrument, queue));

    public void Dispose() => listener.Dispose();
}
