using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Kiln.Server.Api;

/// <summary>
/// Reads a JSON object body for every endpoint that takes one, refusing in Cinder's shape what no
/// endpoint can use: a declared content type that is not JSON (415), malformed JSON or a non-object
/// (400), and strings that are not Unicode text (400, see <see cref="FindUndecodable"/>).
/// </summary>
internal static class RequestBody
{
    /// <summary>The content types Cinder's wsgi layer deserializes; any other declared type is 415.</summary>
    private static readonly string[] JsonTypes = ["application/json", "application/vnd.openstack.volume+json"];

    public static async Task<(JsonElement Value, IResult? Error)> ReadObjectAsync(HttpContext http)
    {
        // Cinder reads the header only: a body sent as text/plain or a form is refused, not parsed
        // as JSON, and no Content-Type at all is read as JSON.
        if (http.Request.ContentType is { } declared
            && !(MediaTypeHeaderValue.TryParse(declared, out var media) && JsonTypes.Contains(media.MediaType.Value, StringComparer.OrdinalIgnoreCase)))
        {
            return (default, CinderError.Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Type"));
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (default, CinderError.Result(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
            }

            if (FindUndecodable(document.RootElement, "body") is { } found)
            {
                var where = found.Length <= 120 ? found : $"{found[..117]}...";
                return (default, CinderError.Result(
                    StatusCodes.Status400BadRequest,
                    $"Error decoding your request: {where} contains characters that could not be decoded (a lone UTF-16 surrogate such as \\ud800, or bytes that are not UTF-8)."));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, CinderError.Result(StatusCodes.Status400BadRequest, $"Malformed request body: {ex.Message}"));
        }
    }

    /// <summary>
    /// The first string or property name in <paramref name="element"/> that does not decode to valid
    /// UTF-16, or null. JSON escapes may spell a lone surrogate (<c>"\ud800"</c>) and raw bytes may
    /// not be UTF-8; the parser accepts both but <see cref="JsonElement.GetString"/> throws on them.
    /// Checked here once, every endpoint can read every string without meeting it (each used to
    /// answer 500 with an empty body).
    /// </summary>
    internal static string? FindUndecodable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element.GetString) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"a field name in {path}";
                    }

                    if (FindUndecodable(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUndecodable(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
