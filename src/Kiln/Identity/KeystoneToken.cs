using System.Text.Json;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Identity;

/// <summary>A token Keystone issued: its id (the <c>X-Subject-Token</c> header), its project and its service catalog.</summary>
internal sealed record KeystoneToken(string Id, string? ProjectId, ServiceCatalog Catalog)
{
    public static KeystoneToken FromResponse(string id, string body)
    {
        JsonElement token;
        try
        {
            using var document = JsonDocument.Parse(body);
            token = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("token", out var value)
                ? value.Clone()
                : throw new CliException(ExitCodes.Unexpected, "Keystone's answer has no \"token\"");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Unexpected, $"Keystone's answer is not JSON: {ex.Message}");
        }

        var project = token.ValueKind == JsonValueKind.Object && token.TryGetProperty("project", out var p) ? p.String("id") : null;
        return new KeystoneToken(id, project, ServiceCatalog.FromJson(token.Array("catalog")));
    }

    public override string ToString() => $"KeystoneToken {{ ProjectId = {ProjectId} }}";
}
