using System.Net;
using System.Text;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Iscsi;

/// <summary>
/// The attachments API as Nova drives it (3.54): create the attachment with the host's connector, use its
/// <c>connection_info</c>, complete it; delete it to detach. Cinder answers <c>connection_info</c> flat, and
/// Nova moves everything but <c>driver_volume_type</c> under <c>data</c> (nova/volume/cinder.py,
/// <c>_translate_attachment_ref</c>): so does this class, so the host reads it as it reads the legacy answer.
/// </summary>
internal sealed class AttachmentConnections(HttpClient http, string project = "admin") : IVolumeConnections
{
    private const string Version = "volume 3.54";

    // One server per host, as Nova has one instance per attachment; the attachment of each (volume, host).
    private readonly Dictionary<(string Volume, string Host), string> attachments = [];
    private readonly Dictionary<string, string> instances = [];

    public async Task<JsonElement> ConnectAsync(string volumeId, ComputeHost host)
    {
        if (!instances.TryGetValue(host.Name, out var instance))
        {
            instances[host.Name] = instance = Guid.NewGuid().ToString();
        }

        var body = JsonSerializer.Serialize(new { attachment = new { volume_uuid = volumeId, instance_uuid = instance, connector = host.Connector, mode = "rw" } });
        var created = await SendAsync(HttpMethod.Post, $"attachments", body, HttpStatusCode.OK);
        var attachment = created.GetProperty("attachment");
        var id = attachment.GetProperty("id").GetString()!;
        attachments[(volumeId, host.Name)] = id;

        await SendAsync(HttpMethod.Post, $"attachments/{id}/action", """{"os-complete": null}""", HttpStatusCode.NoContent);
        var volume = await SendAsync(HttpMethod.Get, $"volumes/{volumeId}", null, HttpStatusCode.OK);
        volume.GetProperty("volume").GetProperty("status").GetString().ShouldBe("in-use");
        volume.GetProperty("volume").GetProperty("attachments").EnumerateArray()
            .ShouldContain(a => a.GetProperty("attachment_id").GetString() == id, "the volume lists the completed attachment");
        return AsNovaDoes(attachment.GetProperty("connection_info"));
    }

    public async Task DisconnectAsync(string volumeId, ComputeHost host)
    {
        var id = attachments[(volumeId, host.Name)];
        await SendAsync(HttpMethod.Delete, $"attachments/{id}", null, HttpStatusCode.OK);
        attachments.Remove((volumeId, host.Name));
    }

    private static JsonElement AsNovaDoes(JsonElement flat)
    {
        var data = new Dictionary<string, JsonElement>();
        string? type = null;
        foreach (var property in flat.EnumerateObject())
        {
            if (property.Name == "driver_volume_type")
            {
                type = property.Value.GetString();
            }
            else if (property.Name != "attachment_id")
            {
                data[property.Name] = property.Value.Clone();
            }
        }

        return JsonSerializer.SerializeToElement(new { driver_volume_type = type, data });
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, $"/v3/{project}/{path}");
        request.Headers.Add("OpenStack-API-Version", Version);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"{method} {path}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
