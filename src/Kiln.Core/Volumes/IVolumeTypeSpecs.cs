using Kiln.Core.Drivers;

namespace Kiln.Core.Volumes;

/// <summary>
/// What a volume's type asks of the driver at create beyond size: the back-end QoS specs and the
/// encryption. Kept apart from <see cref="IVolumeTypeRepository"/> so the volume manager reads them
/// once per create, at the moment the driver is called.
/// </summary>
public interface IVolumeTypeSpecs
{
    /// <summary>The specs of type <paramref name="volumeTypeId"/>; <see cref="TypeCreateSpecs.None"/> for no type or a type without them.</summary>
    Task<TypeCreateSpecs> ForCreateAsync(string? volumeTypeId, CancellationToken cancellationToken);
}

/// <summary>The back-end QoS specs and the encryption of a volume type.</summary>
public sealed record TypeCreateSpecs(IReadOnlyDictionary<string, string> QosSpecs, VolumeEncryption? Encryption)
{
    public static TypeCreateSpecs None { get; } = new(new Dictionary<string, string>(), null);
}
