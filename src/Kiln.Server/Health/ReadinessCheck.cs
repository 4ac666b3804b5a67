using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Messaging;

namespace Kiln.Server.Health;

/// <summary>
/// Whether this node can serve: the database answers and takes writes, messaging is usable, and (unless
/// <c>ready_requires_backend = false</c>) at least one of its backends is ready or degraded. A node
/// without backends (an API-only node) has no backend to wait for.
/// </summary>
internal sealed class ReadinessCheck(DatabaseCheck database, IMessageBus bus, BackendCatalog backends, KilnConfiguration configuration)
{
    public async Task<ReadinessReport> CheckAsync()
    {
        var db = await database.CheckAsync().ConfigureAwait(false);
        var messaging = bus.IsUsable ? "ok" : "unavailable";
        var states = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var anyServing = false;
        foreach (var host in backends.Hosts)
        {
            var state = host.Snapshot.State;
            states[host.Host] = state.ToWireName();
            anyServing |= state.IsSchedulable();
        }

        string? reason = null;
        if (!db.IsOk)
        {
            reason = db.Reason ?? $"database {db.Status}";
        }
        else if (!bus.IsUsable)
        {
            reason = "messaging unavailable";
        }
        else if (configuration.ReadyRequiresBackend && states.Count > 0 && !anyServing)
        {
            reason = "no backend is ready or degraded";
        }

        return new ReadinessReport(reason is null, db.Status, messaging, states, reason);
    }
}

/// <summary>The body of <c>/healthz/ready</c>; <paramref name="Reason"/> says why when not ready.</summary>
internal sealed record ReadinessReport(bool Ready, string Database, string Messaging, IReadOnlyDictionary<string, string> Backends, string? Reason);
