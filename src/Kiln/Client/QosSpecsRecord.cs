using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A QoS specs entity as the API shows it, with the volume types it is associated with when asked for.</summary>
internal sealed record QosSpecsRecord(
    string Id,
    string Name,
    string? Consumer,
    IReadOnlyDictionary<string, string> Specs,
    IReadOnlyList<string>? AssociatedTypes = null)
{
    public static QosSpecsRecord FromJson(JsonElement qos) => new(
        Id: qos.RequiredString("id"),
        Name: qos.RequiredString("name"),
        Consumer: qos.String("consumer"),
        Specs: qos.StringMap("specs"));
}
