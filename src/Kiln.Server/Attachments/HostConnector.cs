using System.Text.Json;
using Kiln.Core.Drivers;

namespace Kiln.Server.Attachments;

/// <summary>
/// A connector as the host sent it: the fields the driver uses (<see cref="Info"/>), the ones the
/// attachment records (<c>mode</c>, <c>mountpoint</c>, <c>enforce_multipath</c>), and the whole JSON,
/// which the attachment keeps so the connection can be ended later for exactly that host.
/// </summary>
public sealed record HostConnector(ConnectorInfo Info, string Json, string? Mode, string? Mountpoint, bool EnforceMultipath)
{
    /// <summary>Reads a connector stored by <see cref="Json"/>; the fields were checked when it was received.</summary>
    public static HostConnector Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement, json);
    }

    /// <summary>From a connector object whose fields have been checked.</summary>
    public static HostConnector From(JsonElement element, string json)
    {
        string? Text(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        bool Flag(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

        var info = new ConnectorInfo(Text("host"), Text("initiator"), Text("ip")) { Multipath = Flag("multipath") };
        return new HostConnector(info, json, Text("mode"), Text("mountpoint"), Flag("enforce_multipath"));
    }
}
