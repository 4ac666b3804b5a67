using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>An <see cref="IMeterFactory"/> of the test's own, and the counter sums its meters recorded, by name and tags.</summary>
internal sealed class TestMetrics : IMeterFactory
{
    private readonly List<Meter> meters = [];
    private readonly ConcurrentDictionary<string, long> sums = new();
    private readonly MeterListener listener = new();

    public TestMetrics()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            sums.AddOrUpdate(Key(instrument.Name, tags.ToArray()), value, (_, sum) => sum + value));
        listener.Start();
    }

    /// <summary>The sum recorded on <paramref name="name"/> with exactly these tags (0 when none).</summary>
    public long Sum(string name, params (string Key, string Value)[] tags) =>
        sums.GetValueOrDefault(Key(name, [.. tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value))]));

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        listener.Dispose();
        meters.ForEach(m => m.Dispose());
    }

    private static string Key(string name, KeyValuePair<string, object?>[] tags) =>
        name + "{" + string.Join(",", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")) + "}";
}
