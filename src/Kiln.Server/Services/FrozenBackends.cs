using Kiln.Server.Persistence;
using Kiln.Server.Volumes;

namespace Kiln.Server.Services;

/// <summary><see cref="IFrozenBackends"/> from the stored service records (freeze writes there, on any node).</summary>
internal sealed class FrozenBackends(IServiceRepository services) : IFrozenBackends
{
    /// <summary>Cinder's text (cinder/objects/base.py, <c>assert_not_frozen</c>).</summary>
    public const string Refusal = "Invalid input received: Modification operations are not allowed on frozen storage backends.";

    public async Task<string?> RefuseIfFrozenAsync(string backendHost, CancellationToken cancellationToken)
    {
        var records = await services.ListAsync(cancellationToken).ConfigureAwait(false);
        return records.Any(r => r.Binary == StoredService.VolumeBinary && r.Host == backendHost && r.Frozen) ? Refusal : null;
    }
}
