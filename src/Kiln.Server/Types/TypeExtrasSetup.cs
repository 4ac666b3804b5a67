using Kiln.Core.Volumes;

namespace Kiln.Server.Types;

/// <summary>Registers the stores of QoS specs, type access, type encryption and default types.</summary>
internal static class TypeExtrasSetup
{
    public static IServiceCollection AddKilnTypeExtras(this IServiceCollection services)
    {
        services.AddSingleton<QosSpecsStore>();
        services.AddSingleton<TypeAccessStore>();
        services.AddSingleton<EncryptionStore>();
        services.AddSingleton<DefaultTypeStore>();
        services.AddSingleton<IProjectTypes, ProjectTypes>();
        services.AddSingleton<IVolumeTypeSpecs, TypeCreateSpecsSource>();
        return services;
    }
}
