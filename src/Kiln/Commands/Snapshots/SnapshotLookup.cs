using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary>A snapshot from its id or its (unique) name.</summary>
internal static class SnapshotLookup
{
    public static Task<SnapshotRecord> FindAsync(KilnApiClient api, string idOrName, CancellationToken cancellationToken) =>
        Resolver.OneAsync(
            "snapshot",
            idOrName,
            api.FindSnapshotAsync,
            (name, token) => api.ListSnapshotsAsync(name, volumeId: null, token),
            s => s.Id,
            cancellationToken);
}
