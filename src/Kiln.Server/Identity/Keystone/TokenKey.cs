using System.Security.Cryptography;
using System.Text;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// The cache key of a token: its SHA-256 in hex, as keystonemiddleware keys its cache, so that a
/// dump of Kiln's memory or a debugger shows no token that could be replayed.
/// </summary>
internal static class TokenKey
{
    public static string Of(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
