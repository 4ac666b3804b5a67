using Kiln.Server.Persistence;

namespace Kiln.Server.Quotas;

/// <summary>Registers the quota engine and its store.</summary>
internal static class QuotaServiceCollectionExtensions
{
    public static IServiceCollection AddKilnQuotas(this IServiceCollection services)
    {
        services.AddSingleton<IQuotaStore, EfQuotaStore>();
        services.AddSingleton<QuotaService>();
        return services;
    }
}
