using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Iscsi;

/// <summary>
/// How a compute host gets a volume's <c>connection_info</c> and gives it back. The legacy actions are one
/// way (<see cref="LegacyConnections"/>); the attachments API (3.27+: create, update with the connector,
/// complete, delete) is the other, and its implementation plugs in here so every test runs through both.
/// </summary>
internal interface IVolumeConnections
{
    /// <summary>Connects <paramref name="host"/> to the volume; the <c>connection_info</c> Kiln answered.</summary>
    Task<JsonElement> ConnectAsync(string volumeId, ComputeHost host);

    /// <summary>Disconnects <paramref name="host"/> from the volume.</summary>
    Task DisconnectAsync(string volumeId, ComputeHost host);
}
