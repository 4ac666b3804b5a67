using System.Security.Cryptography;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>Per-volume CHAP credentials from a cryptographically strong generator, Cinder's lengths.</summary>
internal static class ChapCredentials
{
    /// <summary>Cinder's <c>generate_username</c> length. tgt accounts are global to tgtd, so names must be unique: 20 random characters are.</summary>
    public const int UsernameLength = 20;

    /// <summary>Cinder's <c>generate_password</c> length; RFC 3720 asks at least 12 bytes of secret.</summary>
    public const int PasswordLength = 16;

    // Letters and digits only: no character needs quoting in an iscsi:// URL, iscsiadm or tgtadm.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static (string Username, string Password) Generate() =>
        (RandomNumberGenerator.GetString(Alphabet, UsernameLength), RandomNumberGenerator.GetString(Alphabet, PasswordLength));
}
