using Kiln.Server.Configuration;
using Kiln.Server.Messaging.Rabbit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Messaging;

/// <summary>Picks the bus from <c>transport_url</c>: RabbitMQ when set, channels in this process when not.</summary>
internal static class MessagingSetup
{
    public static IServiceCollection AddKilnMessaging(this IServiceCollection services, KilnConfiguration configuration)
    {
        services.TryAddSingleton(RedeliveryPolicy.Default);
        services.TryAddSingleton(RabbitOptions.Default with { ClientName = $"kiln@{configuration.Host}" });
        services.AddSingleton<MessagingMetrics>();

        // The reader validated the URL at start-up, so it parses here.
        if (RabbitTransport.Parse(configuration.TransportUrl ?? string.Empty).Value is { } transport)
        {
            services.AddSingleton(transport);
            services.AddSingleton<IMessageBus, RabbitMqMessageBus>();
        }
        else
        {
            services.AddSingleton<IMessageBus, InProcessMessageBus>();
        }

        return services;
    }
}
