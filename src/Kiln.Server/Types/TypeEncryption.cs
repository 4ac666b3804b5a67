namespace Kiln.Server.Types;

/// <summary>A volume type's encryption as Cinder's <c>encryption</c> table keeps and shows it.</summary>
internal sealed record TypeEncryption(
    string EncryptionId, string VolumeTypeId, string Provider, string? Cipher, int? KeySize, string ControlLocation, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>The fields of an encryption create or update; null means "not given" (an update keeps the value).</summary>
internal sealed record EncryptionFields(string? Provider, bool HasCipher, string? Cipher, bool HasKeySize, int? KeySize, string? ControlLocation);

/// <summary>How an encryption write ended.</summary>
internal enum EncryptionOutcome
{
    Done,
    TypeNotFound,
    NotFound,
    Exists,
    InUse,
}
