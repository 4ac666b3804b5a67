using System.Globalization;
using System.Text;

namespace Kiln.Server.Api;

/// <summary>
/// Cinder's notion of printable text (parameter_types._is_printable): no character of the "other"
/// categories (control, format, private use, unassigned) and no separator but the space kind. A type
/// name holding NUL or a newline would be stored, listed and matched by clients that cannot show it.
/// </summary>
internal static class PrintableText
{
    /// <summary>Null when <paramref name="text"/> is printable; otherwise Cinder's validation message for <paramref name="field"/>.</summary>
    public static string? Check(string field, string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                var shown = string.Concat(text.EnumerateRunes().Select(r => IsPrintable(r) ? r.ToString() : "?"));
                return $"Invalid input for field/attribute {field}. Value: {BodyReader.Shorten(shown)}. It contains U+{rune.Value:X4}, which is not a printable character.";
            }
        }

        return null;
    }

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
