using System.Security.Cryptography;
using System.Text;

namespace Kiln.Server.Transfers;

/// <summary>
/// Cinder's transfer secrets: a random salt and auth key of hexadecimal characters (what a recipient can
/// type), and the stored hash, an HMAC of the key keyed by the salt, compared in constant time. Cinder
/// uses HMAC-SHA1; Kiln uses HMAC-SHA256 (its rows are never read by Cinder, and SHA-1 is refused by the analyzers).
/// </summary>
internal static class TransferKeys
{
    /// <summary>Cinder's <c>volume_transfer_salt_length</c> default.</summary>
    public const int SaltLength = 8;

    /// <summary>Cinder's <c>volume_transfer_key_length</c> default.</summary>
    public const int KeyLength = 16;

    public static string RandomHex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];

    /// <summary>Cinder's <c>_get_crypt_hash</c> (<c>hmac.new(salt, auth_key, …).hexdigest()</c>) with SHA-256.</summary>
    public static string Hash(string salt, string authKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(salt), Encoding.UTF8.GetBytes(authKey)));

    public static bool Matches(VolumeTransfer transfer, string authKey) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(transfer.Salt, authKey)), Encoding.ASCII.GetBytes(transfer.CryptHash));
}
