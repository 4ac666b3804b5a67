using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Iscsi;

/// <summary><c>os-initialize_connection</c> and <c>os-terminate_connection</c>, as Nova did before attachments.</summary>
internal sealed class LegacyConnections(HttpClient http, string project = "admin") : IVolumeConnections
{
    public async Task<JsonElement> ConnectAsync(string volumeId, ComputeHost host)
    {
        using var response = await http.PostAsJsonAsync(
            $"/v3/{project}/volumes/{volumeId}/action",
            new Dictionary<string, object> { ["os-initialize_connection"] = new { connector = host.Connector } });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("connection_info").Clone();
    }

    public async Task DisconnectAsync(string volumeId, ComputeHost host)
    {
        using var response = await http.PostAsJsonAsync(
            $"/v3/{project}/volumes/{volumeId}/action",
            new Dictionary<string, object> { ["os-terminate_connection"] = new { connector = host.Connector } });
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }
}
