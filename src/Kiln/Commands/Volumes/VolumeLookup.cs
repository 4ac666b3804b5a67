using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Volumes;

/// <summary>A volume from its id or its (unique) name.</summary>
internal static class VolumeLookup
{
    public static Task<VolumeRecord> FindAsync(KilnApiClient api, string idOrName, CancellationToken cancellationToken) =>
        Resolver.OneAsync(
            "volume",
            idOrName,
            api.FindVolumeAsync,
            (name, token) => api.ListVolumesAsync(name, status: null, token),
            v => v.Id,
            cancellationToken);
}
