using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Messaging;
using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// <c>PUT os-services/reinit</c> for a backend another node runs: the request goes to that backend's
/// queue, which only its own volume process consumes, and that process re-initializes it as if the
/// request had reached it (<see cref="Apply"/>). The API node answers from the service record the owner
/// writes; a backend whose node is down is refused (409) rather than queued for a node that may never
/// come back, and one already initializing is refused as on its own node.
/// </summary>
internal static class RemoteReinit
{
    /// <summary>202 with the stored view once the message is queued; 409 when its node is down or it is initializing; null when no node runs <paramref name="host"/>.</summary>
    public static async Task<IResult?> SendAsync(HttpContext http, ServiceDirectory directory, IMessageBus bus, string host)
    {
        var entry = (await directory.ListAsync(http.RequestAborted).ConfigureAwait(false))
            .FirstOrDefault(s => s.Record.Host == host && s.Record.Binary == StoredService.VolumeBinary);
        if (entry is null || entry.Record.DriverState is null)
        {
            return null;
        }

        if (!entry.Up)
        {
            var at = host.IndexOf('@', StringComparison.Ordinal);
            return CinderError.Result(
                StatusCodes.Status409Conflict,
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"Backend {host} is stopped: the volume service on node {(at < 0 ? host : host[..at])} is down (no heartbeat within service_down_time {directory.ServiceDownTime.TotalSeconds:0} s)."));
        }

        if (entry.Record.DriverState == BackendState.Initializing.ToWireName())
        {
            return CinderError.Result(StatusCodes.Status409Conflict, $"Backend {host} is initializing: an initialization attempt is already in progress.");
        }

        await bus.SendAsync(Queues.Volume(host), new ReinitBackend(host), http.RequestAborted).ConfigureAwait(false);
        var view = ServiceView.From(entry, MicroversionFilter.Of(http), extended: true);
        return Results.Json(new Dictionary<string, object?> { ["service"] = view }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>On the owning node: runs the re-initialization now; a backend not (or no longer) here, or already initializing, ignores it.</summary>
    public static Task Apply(BackendCatalog catalog, ReinitBackend message)
    {
        catalog.Find(message.BackendHost)?.RequestReinit();
        return Task.CompletedTask;
    }
}
