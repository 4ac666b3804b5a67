using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/os-services</c>: list services with backend lifecycle state, and re-initialize a backend.</summary>
internal static class ServicesEndpoints
{
    public static RouteGroupBuilder MapServices(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/os-services");
        group.MapGet("", List);
        group.MapPut("/reinit", ReinitAsync);
        return v3;
    }

    private static IResult List(HttpContext http, ServiceDirectory directory, BackendCatalog backends, string? host, string? binary)
    {
        var version = MicroversionFilter.Of(http);
        var services = directory.All
            .Where(s => string.IsNullOrEmpty(host) || s.Host == host)
            .Where(s => string.IsNullOrEmpty(binary) || s.Binary == binary)
            .Select(s => ServiceView.From(s, directory.IsUp(s), backends.Find(s.Host)?.Snapshot, version))
            .ToList();
        return Results.Json(new Dictionary<string, object> { ["services"] = services });
    }

    private static async Task<IResult> ReinitAsync(HttpContext http, ServiceDirectory directory, BackendCatalog backends)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return error;
        }

        if (!body.Value.TryGetProperty("host", out var hostElement) || hostElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(hostElement.GetString()))
        {
            return CinderError.Result(StatusCodes.Status400BadRequest, "Missing required element 'host' in request body: give the backend as \"host@backend\".");
        }

        var host = hostElement.GetString()!;
        if (backends.Find(host) is not { } backend)
        {
            var known = string.Join(", ", backends.Hosts.Select(h => h.Host).Order(StringComparer.Ordinal));
            return CinderError.Result(StatusCodes.Status404NotFound, $"Volume backend {host} not found. Known backends: {known}.");
        }

        var result = backend.RequestReinit();
        if (!result.Accepted)
        {
            var why = result.StateAtRequest == BackendState.Initializing
                ? "an initialization attempt is already in progress"
                : "the service is shutting down";
            return CinderError.Result(StatusCodes.Status409Conflict, $"Backend {host} is {result.StateAtRequest.ToWireName()}: {why}.");
        }

        var record = directory.All.First(s => s.Host == host && s.Binary == ServiceRecord.VolumeBinary);
        var view = ServiceView.From(record, directory.IsUp(record), backend.Snapshot, MicroversionFilter.Of(http));
        return Results.Json(new Dictionary<string, object> { ["service"] = view }, statusCode: StatusCodes.Status202Accepted);
    }
}
