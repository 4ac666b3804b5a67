using Kiln.Core.Drivers;
using Kiln.Drivers.Cinder;
using Kiln.Drivers.Fault;
using Kiln.Drivers.File;

namespace Kiln.Server.Backends;

/// <summary>
/// The drivers shipped with Kiln, in one place: <c>kiln serve</c> registers them and
/// <c>kiln config check</c> validates <c>volume_driver</c> against the same list.
/// </summary>
internal static class BuiltInDrivers
{
    public static IEnumerable<Type> FactoryTypes { get; } = [typeof(FileDriverFactory), typeof(FaultDriverFactory), typeof(CinderDriverFactory)];

    /// <summary>A catalog of fresh factories, for offline checks.</summary>
    public static DriverCatalog Catalog() =>
        new(FactoryTypes.Select(t => (IVolumeDriverFactory)Activator.CreateInstance(t)!));

    /// <summary>Registers every built-in factory as an <see cref="IVolumeDriverFactory"/>.</summary>
    public static IServiceCollection AddBuiltInDrivers(this IServiceCollection services)
    {
        foreach (var type in FactoryTypes)
        {
            services.AddSingleton(typeof(IVolumeDriverFactory), type);
        }

        return services;
    }
}
