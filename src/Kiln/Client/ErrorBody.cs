using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>
/// The message of an OpenStack error body, one object holding one fault: Cinder's
/// <c>{"itemNotFound": {"code": 404, "message": "…"}}</c> and Keystone's
/// <c>{"error": {"code": 401, "title": "Unauthorized", "message": "…"}}</c> alike.
/// </summary>
internal static class ErrorBody
{
    /// <summary>The fault's message, or null when the body is not in that shape.</summary>
    public static string? Message(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var fault in document.RootElement.EnumerateObject())
                {
                    if (fault.Value.ValueKind == JsonValueKind.Object && fault.Value.String("message") is { Length: > 0 } message)
                    {
                        return message;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not OpenStack's shape (a proxy's HTML page, say): the caller reports the status instead.
        }

        return null;
    }
}
