using Kiln.Core.Drivers;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// Creates drivers for <c>volume_driver = python.dotted.Path</c>: an upstream Cinder driver class run in a
/// driver host process (docs/drivers/cinder.md). One factory serves every such backend of the process.
/// </summary>
public sealed class CinderDriverFactory : IVolumeDriverFactory, IAsyncDisposable
{
    /// <summary>How this factory shows among the known drivers: any dotted Python class path selects it.</summary>
    public const string SelectorName = "<python.dotted.Path>";

    /// <summary>The driver host processes alive now, for metrics.</summary>
    public DriverHostRegistry Hosts { get; } = new();

    /// <summary>Starts the hosts: forked by the zygote, one per Kiln process, which this factory owns.</summary>
    public DriverHostLauncher Launcher { get; } = new();

    public string Name => SelectorName;

    /// <summary>
    /// Only Kiln's own options of the host: every other option of the section goes to the host process, which
    /// registers Cinder's options and the driver's own with oslo.config and reports the unknown ones itself.
    /// </summary>
    public IReadOnlyCollection<string> OptionNames { get; } = CinderDriverOptions.KilnOptionNames;

    /// <summary>Whether <paramref name="volumeDriver"/> names a Python class (contains a dot) rather than a Kiln driver.</summary>
    public static bool Selects(string volumeDriver) => volumeDriver.Contains('.', StringComparison.Ordinal);

    public IVolumeDriver Create(DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CinderDriver(context, CinderDriverOptions.Read(context.Options), Hosts, Launcher);
    }

    public ValueTask DisposeAsync() => Launcher.DisposeAsync();
}
