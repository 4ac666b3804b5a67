using System.Text.Json.Nodes;
using Kiln.Core.Drivers;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// The volumes, snapshots and connectors Kiln hands the host, as the subset of Cinder's versioned-object fields
/// drivers read; the host builds real <c>cinder.objects.Volume</c>/<c>Snapshot</c> objects from them.
/// </summary>
internal static class CinderObjects
{
    public static JsonObject Volume(VolumeRef volume, string? host)
    {
        var qos = new JsonObject();
        foreach (var (key, value) in volume.QosSpecs)
        {
            qos[key] = value;
        }

        return new JsonObject
        {
            ["id"] = volume.Id,
            ["size"] = volume.SizeGb,
            ["host"] = host,
            ["provider_location"] = volume.ProviderLocation,
            ["provider_auth"] = volume.ProviderAuth,
            ["provider_id"] = volume.ProviderId,
            ["qos_specs"] = qos,
        };
    }

    public static JsonObject Snapshot(SnapshotRef snapshot, string? host) => new()
    {
        ["id"] = snapshot.Id,
        ["size"] = snapshot.SizeGb,
        ["provider_location"] = snapshot.ProviderLocation,
        ["provider_auth"] = snapshot.ProviderAuth,
        ["provider_id"] = snapshot.ProviderId,
        ["volume"] = Volume(snapshot.Volume, host),
    };

    /// <summary>Cinder's connector dict (os-brick's names).</summary>
    public static JsonObject Connector(ConnectorInfo connector) => new()
    {
        ["host"] = connector.Host,
        ["initiator"] = connector.Initiator,
        ["ip"] = connector.Ip,
        ["multipath"] = connector.Multipath,
    };
}
