using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Kiln.Drivers.Cinder;

namespace Kiln.Server.Backends;

/// <summary>The drivers this process knows, by <c>volume_driver</c> name.</summary>
internal sealed class DriverCatalog(IEnumerable<IVolumeDriverFactory> factories)
{
    public const string VolumeDriverOption = "volume_driver";
    public const string VolumeBackendNameOption = "volume_backend_name";

    private readonly Dictionary<string, IVolumeDriverFactory> byName =
        factories.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Options every backend section may carry, whatever its driver.</summary>
    public static IReadOnlySet<string> CommonOptions { get; } =
        new HashSet<string>([VolumeDriverOption, VolumeBackendNameOption, .. LifecycleOptions.OptionNames], StringComparer.OrdinalIgnoreCase);

    /// <summary>Kiln's own driver names; Python class paths (upstream Cinder drivers) are documented, not listed.</summary>
    public IEnumerable<string> Names => byName.Keys.Where(k => k != CinderDriverFactory.SelectorName).Order(StringComparer.Ordinal);

    /// <summary>
    /// The factory for a backend section. An unknown or missing <c>volume_driver</c> is a configuration
    /// error of that backend only.
    /// </summary>
    public IVolumeDriverFactory Resolve(BackendSection section)
    {
        var name = section.GetString(VolumeDriverOption)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new DriverConfigurationException(
                $"[{section.Name}] {VolumeDriverOption} is not set; known drivers: {string.Join(", ", Names)}");
        }

        // A dotted Python class path (Cinder's own volume_driver values) runs an upstream driver in a host process.
        var key = CinderDriverFactory.Selects(name) ? CinderDriverFactory.SelectorName : name;
        return byName.TryGetValue(key, out var factory)
            ? factory
            : throw DriverConfigurationException.InvalidOption(section.Name, VolumeDriverOption, name, $"unknown driver; known drivers: {string.Join(", ", Names)}");
    }
}
