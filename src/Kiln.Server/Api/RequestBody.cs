using System.Text.Json;

namespace Kiln.Server.Api;

/// <summary>Reads a JSON object body, answering Cinder's 400 for anything else.</summary>
internal static class RequestBody
{
    public static async Task<(JsonElement Value, IResult? Error)> ReadObjectAsync(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (default, CinderError.Result(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, CinderError.Result(StatusCodes.Status400BadRequest, $"Malformed request body: {ex.Message}"));
        }
    }
}
