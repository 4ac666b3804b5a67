using Kiln.Server.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>The server's bus, refusing every send as a broker out of reach does while <see cref="Refusing"/>.</summary>
internal sealed class RefusingBus(IMessageBus inner) : IMessageBus
{
    public volatile bool Refusing;

    public bool IsDurable => inner.IsDurable;

    public bool IsUsable => inner.IsUsable && !Refusing;

    /// <summary>Replaces the server's bus in <paramref name="services"/> with one wrapped by a refusing bus, handed to <paramref name="created"/>.</summary>
    public static void Install(IServiceCollection services, Action<RefusingBus> created)
    {
        var descriptor = services.Single(d => d.ServiceType == typeof(IMessageBus));
        services.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp =>
        {
            var bus = new RefusingBus((IMessageBus)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
            created(bus);
            return bus;
        }));
    }

    public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) =>
        Refusing ? ValueTask.FromException(new MessagingUnavailableException("refused by the test")) : inner.SendAsync(queue, message, cancellationToken);

    public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency) =>
        inner.Subscribe(queue, handler, concurrency);
}
