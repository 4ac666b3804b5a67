using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kiln.Server.Persistence;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as fixed-width UTC text (<c>2026-01-01T00:00:00.0000000Z</c>).
/// Fixed width makes text order equal time order, so ORDER BY and keyset comparisons work on SQLite
/// (which has no date type); all seven fraction digits keep the full tick precision; and the column
/// stays readable with the sqlite3 shell.
/// </summary>
internal sealed class UtcTimestampConverter()
    : ValueConverter<DateTimeOffset, string>(value => Format(value), text => Parse(text))
{
    public const int Width = 28;

    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        new(DateTime.ParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);
}
