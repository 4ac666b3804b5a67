using Kiln.Server.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Identity.Keystone;

/// <summary>Registers Keystone token validation.</summary>
internal static class KeystoneServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITokenValidator"/> validating against <paramref name="options"/>' Keystone,
    /// with its HttpClient through IHttpClientFactory. Uses the registered <see cref="TimeProvider"/>
    /// (the system clock when none is).
    /// </summary>
    public static IServiceCollection AddKeystoneTokenValidation(this IServiceCollection services, KeystoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(TokenCacheLimits.Default);
        services.AddSingleton(options);
        services.AddKeystoneHttpClient(options);
        services.AddSingleton<KeystoneClient>();
        services.AddSingleton<ServiceTokenSource>();
        services.AddSingleton<KeystoneAvailability>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<KeystoneTokenValidator>();
        services.AddSingleton<ITokenValidator>(sp => sp.GetRequiredService<KeystoneTokenValidator>());
        return services;
    }
}
