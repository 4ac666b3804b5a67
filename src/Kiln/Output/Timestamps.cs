using System.Globalization;

namespace Kiln.Cli.Output;

/// <summary>Absolute times in tables: UTC to the second, which is what the server records.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty;
}
