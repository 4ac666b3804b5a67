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
        [FaultOptions.ControlFile, FaultOptions.CallLog, FaultOptions.CapacityGb, FaultOptions.StateFile];

    public IVolumeDriver Create(DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new FaultOptions(context.Options);

        // A state file that cannot be read throws here, inside the (re-)initialization attempt, and
        // nothing is cached: the next attempt reads it again.
        var store = stores.GetOrAdd(
            context.BackendName,
            static (_, path) => path is null ? new VolumeStore() : new VolumeStore(new VolumeStoreFile(path)),
            options.StateFilePath);
        return new FaultDriver(context, options, store);
    }
}
