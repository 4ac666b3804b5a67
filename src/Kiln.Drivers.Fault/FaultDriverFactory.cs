using System.Collections.Concurrent;
using Kiln.Core.Drivers;

namespace Kiln.Drivers.Fault;

/// <summary>Creates <c>fault</c> drivers: scriptable backends for tests, demos and failure rehearsals.</summary>
public sealed class FaultDriverFactory : IVolumeDriverFactory
{
    // Kiln creates a new driver for every (re-)initialization attempt; volumes must outlive each one.
    private readonly ConcurrentDictionary<string, VolumeStore> stores = new(StringComparer.Ordinal);

    public string Name => "fault";

    public IReadOnlyCollection<string> OptionNames { get; } =
        [FaultOptions.ControlFile, FaultOptions.CallLog, FaultOptions.CapacityGb];

    public IVolumeDriver Create(DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = stores.GetOrAdd(context.BackendName, static _ => new VolumeStore());
        return new FaultDriver(context, new FaultOptions(context.Options), store);
    }
}
