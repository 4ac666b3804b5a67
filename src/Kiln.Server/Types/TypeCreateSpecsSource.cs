using Kiln.Core.Drivers;
using Kiln.Core.Volumes;

namespace Kiln.Server.Types;

/// <summary><see cref="IVolumeTypeSpecs"/> from the QoS specs and encryption tables.</summary>
internal sealed class TypeCreateSpecsSource(QosSpecsStore qos, EncryptionStore encryption) : IVolumeTypeSpecs
{
    public async Task<TypeCreateSpecs> ForCreateAsync(string? volumeTypeId, CancellationToken cancellationToken)
    {
        if (volumeTypeId is null)
        {
            return TypeCreateSpecs.None;
        }

        var specs = await qos.BackEndSpecsForTypeAsync(volumeTypeId, cancellationToken).ConfigureAwait(false);
        var encrypted = await encryption.FindAsync(volumeTypeId, cancellationToken).ConfigureAwait(false);
        return new TypeCreateSpecs(
            specs,
            encrypted is null ? null : new VolumeEncryption(encrypted.Provider, encrypted.Cipher, encrypted.KeySize, encrypted.ControlLocation));
    }
}
