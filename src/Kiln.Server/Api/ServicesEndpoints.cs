using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/os-services</c>: list services (with backend lifecycle state on request), enable/disable them, and re-initialize a backend.</summary>
internal static class ServicesEndpoints
{
    public const int MaxReasonLength = 255;

    /// <summary>The fields of Cinder's enable/disable schema (<c>additionalProperties: false</c>); disable-log-reason adds <c>disabled_reason</c>.</summary>
    private static readonly string[] EnableFields = ["binary", "host", "cluster", "service"];

    public static RouteGroupBuilder MapServices(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/os-services");
        group.MapGet("", ListAsync);
        group.MapPut("/reinit", ReinitAsync);
        group.MapPut("/enable", (HttpContext http, ServiceDirectory directory) => SetDisabledAsync(http, directory, disable: false, withReason: false));
        group.MapPut("/disable", (HttpContext http, ServiceDirectory directory) => SetDisabledAsync(http, directory, disable: true, withReason: false));
        group.MapPut("/disable-log-reason", (HttpContext http, ServiceDirectory directory) => SetDisabledAsync(http, directory, disable: true, withReason: true));
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ServiceDirectory directory, TargetDaemonView targets, string? host, string? binary)
    {
        if (http.Deny(CinderPolicyRules.ServicesIndex) is { } denied)
        {
            return denied;
        }

        var version = MicroversionFilter.Of(http);
        var extended = KilnExtensions.Requested(http.Request) && http.Allows(KilnPolicyRules.ServicesLifecycle);
        var services = (await directory.ListAsync(http.RequestAborted).ConfigureAwait(false))
            .Where(s => string.IsNullOrEmpty(host) || MatchesHost(s.Record.Host, host))
            .Where(s => string.IsNullOrEmpty(binary) || s.Record.Binary == binary)
            .Select(s => ServiceView.From(s, version, extended))
            .Select(view => extended && view.TryGetValue("driver_state", out _) ? WithTarget(view, targets) : view)
            .ToList();
        return Results.Json(new Dictionary<string, object> { ["services"] = services });
    }

    private static Dictionary<string, object?> WithTarget(Dictionary<string, object?> view, TargetDaemonView targets)
    {
        view[TargetDaemonView.Field] = targets.For((string)view["host"]!);
        return view;
    }

    private static async Task<IResult> SetDisabledAsync(HttpContext http, ServiceDirectory directory, bool disable, bool withReason)
    {
        if (http.Deny(CinderPolicyRules.ServicesUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return error;
        }

        if (Unknown(body.Value, withReason ? [.. EnableFields, "disabled_reason"] : EnableFields) is { } unknown)
        {
            return unknown;
        }

        var host = StringField(body.Value, "host");
        var binary = StringField(body.Value, "binary") ?? StringField(body.Value, "service");
        if (host is null || binary is null)
        {
            return CinderError.Result(StatusCodes.Status400BadRequest, "Missing required element 'host' or 'binary' in request body.");
        }

        string? reason = null;
        if (withReason)
        {
            reason = StringField(body.Value, "disabled_reason")?.Trim();
            if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
            {
                return CinderError.Result(StatusCodes.Status400BadRequest, $"Disabled reason contains invalid characters or is too long (1 to {MaxReasonLength} characters).");
            }
        }

        var record = await directory.SetDisabledAsync(host, binary, disable, reason, http.RequestAborted).ConfigureAwait(false);
        if (record is null)
        {
            return CinderError.Result(StatusCodes.Status404NotFound, $"Service {binary} on host {host} could not be found.");
        }

        var answer = new Dictionary<string, object?>
        {
            ["disabled"] = record.Disabled,
            ["status"] = record.Disabled ? "disabled" : "enabled",
            ["host"] = record.Host,
            ["service"] = record.Binary,
            ["binary"] = record.Binary,
        };

        // As Cinder: enable and disable-log-reason say the reason, a plain disable does not.
        if (!disable || withReason)
        {
            answer["disabled_reason"] = record.DisabledReason;
        }

        return Results.Json(answer);
    }

    private static async Task<IResult> ReinitAsync(HttpContext http, ServiceDirectory directory, BackendCatalog backends, Messaging.IMessageBus bus)
    {
        if (http.Deny(KilnPolicyRules.ServicesReinit) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return error;
        }

        if (Unknown(body.Value, "host") is { } unknown)
        {
            return unknown;
        }

        if (StringField(body.Value, "host") is not { } host)
        {
            return CinderError.Result(StatusCodes.Status400BadRequest, "Missing required element 'host' in request body: give the backend as \"host@backend\".");
        }

        if (backends.Find(host) is not { } backend)
        {
            // Not run by this node: the node that runs it re-initializes it (RemoteReinit).
            if (await RemoteReinit.SendAsync(http, directory, bus, host).ConfigureAwait(false) is { } remote)
            {
                return remote;
            }

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

        var entry = (await directory.ListAsync(http.RequestAborted).ConfigureAwait(false))
            .FirstOrDefault(s => s.Record.Host == host && s.Record.Binary == StoredService.VolumeBinary);
        var view = entry is null ? null : ServiceView.From(entry, MicroversionFilter.Of(http), extended: true);
        return Results.Json(new Dictionary<string, object?> { ["service"] = view }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Cinder's host filter: the host itself and its backends and pools (<c>host</c>, <c>host@…</c>, <c>host#…</c>).</summary>
    private static bool MatchesHost(string serviceHost, string filter) =>
        serviceHost == filter
        || (serviceHost.Length > filter.Length && serviceHost.StartsWith(filter, StringComparison.Ordinal) && serviceHost[filter.Length] is '@' or '#');

    /// <summary>Cinder's 400 for a field its schema does not list (a misspelt or made-up field is refused, not ignored).</summary>
    private static IResult? Unknown(JsonElement body, params string[] known)
    {
        var reader = new BodyReader(body, "body");
        reader.OnlyKnown(known);
        return reader.Error is { } message ? CinderError.Result(StatusCodes.Status400BadRequest, message) : null;
    }

    private static string? StringField(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
