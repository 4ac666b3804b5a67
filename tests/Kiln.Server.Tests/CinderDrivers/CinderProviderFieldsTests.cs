using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// The <c>provider_*</c> fields of an upstream driver's model updates (<c>kiln_test_drivers.ProviderFieldsDriver</c>,
/// a real driver host): stored as Cinder stores them (create's and create_export's with the volume, create_snapshot's
/// with the snapshot), handed back to every later call from the database — also by a Kiln restarted on the same
/// database — with <c>provider_id</c> shown to administrators from 3.21 and <c>provider_auth</c> never shown.
/// </summary>
public sealed class CinderProviderFieldsTests
{
    private const string Connector = """{"host": "compute-1", "initiator": "iqn.1993-08.org.debian:01:abc", "ip": "192.0.2.10", "multipath": false}""";

    [Fact]
    public async Task ProviderFields_StoredAndHandedBack_AcrossRestart_ProviderIdForAdminsOnly()
    {
        CinderHost.Prepare();
        var shared = Directory.CreateTempSubdirectory("kiln-provider-");
        try
        {
            var sections = $"""
                [database]
                connection = sqlite:///{shared.FullName}/kiln.db

                [prov]
                volume_driver = kiln_test_drivers.ProviderFieldsDriver
                volume_backend_name = prov
                kiln_test_dir = {shared.FullName}
                """;
            string volume, snapshot;
            await using (var before = await StartAsync(sections))
            {
                volume = await CreateVolumeAsync(before, size: 1);
                var created = (await before.Service<IVolumeRepository>().FindAsync(volume, TestContext.Current.CancellationToken))!;
                created.ProviderLocation.ShouldBe($"vol-loc:{volume}");
                created.ProviderId.ShouldBe($"vol-pid:{volume}");
                created.ProviderAuth.ShouldBe($"CHAP vol-{volume[..8]} vol-secret");

                // provider_id: 3.21 and admin only; provider_auth: never, in no view.
                (await ShowAsync(before, volume, "3.21")).GetProperty("provider_id").GetString().ShouldBe($"vol-pid:{volume}");
                (await ShowAsync(before, volume, "3.20")).TryGetProperty("provider_id", out _).ShouldBeFalse();
                before.Token = "member";
                (await ShowAsync(before, volume, "3.70")).TryGetProperty("provider_id", out _).ShouldBeFalse();
                before.Token = null;
                (await GetAsync(before, "volumes/detail", "3.21")).GetProperty("volumes").EnumerateArray().Single().GetProperty("provider_id").GetString().ShouldBe($"vol-pid:{volume}");

                // create_export's update is saved with the volume before initialize_connection sees it, as in Cinder.
                var info = await CallAsync(before, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-initialize_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.OK);
                info.GetProperty("connection_info").GetProperty("driver_volume_type").GetString().ShouldBe("iscsi");
                var export = Expected(volume, $"export-loc:{volume}", $"vol-pid:{volume}", $"CHAP export-{volume[..8]} export-secret");
                Fields(Handed(shared, "create_export", volume).GetProperty("volume")).ShouldBe(Expected(volume, $"vol-loc:{volume}", $"vol-pid:{volume}", $"CHAP vol-{volume[..8]} vol-secret"));
                Fields(Handed(shared, "initialize_connection", volume).GetProperty("volume")).ShouldBe(export);
                var exported = (await before.Service<IVolumeRepository>().FindAsync(volume, TestContext.Current.CancellationToken))!;
                (exported.ProviderLocation, exported.ProviderAuth, exported.ProviderId).ShouldBe(($"export-loc:{volume}", $"CHAP export-{volume[..8]} export-secret", $"vol-pid:{volume}"));

                snapshot = await CreateSnapshotAsync(before, volume);
                Fields(Handed(shared, "create_snapshot", snapshot).GetProperty("snapshot_volume")).ShouldBe(export);
                var taken = (await before.Service<ISnapshotRepository>().FindAsync(snapshot, TestContext.Current.CancellationToken))!;
                (taken.ProviderLocation, taken.ProviderId, taken.ProviderAuth).ShouldBe(($"snap-loc:{snapshot}", $"snap-pid:{snapshot}", $"CHAP snap-{snapshot[..8]} snap-secret"));

                // Cinder's snapshot views show none of the provider fields.
                var shown = await RawAsync(before, $"snapshots/{snapshot}", "3.70");
                shown.ShouldNotContain("provider_");
                (await RawAsync(before, $"volumes/{volume}", "3.70")).ShouldNotContain("provider_auth");
                (await RawAsync(before, $"volumes/{volume}", "3.70")).ShouldNotContain("secret");
            }

            // A new Kiln on the same database: every call gets what the database holds.
            await using var after = await StartAsync(sections);
            var snapshotRef = Expected(snapshot, $"snap-loc:{snapshot}", $"snap-pid:{snapshot}", $"CHAP snap-{snapshot[..8]} snap-secret");
            var exportRef = Expected(volume, $"export-loc:{volume}", $"vol-pid:{volume}", $"CHAP export-{volume[..8]} export-secret");
            await CallAsync(after, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-terminate_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.Accepted);
            Fields(Handed(shared, "terminate_connection", volume).GetProperty("volume")).ShouldBe(exportRef);
            Fields(Handed(shared, "remove_export", volume).GetProperty("volume")).ShouldBe(exportRef);

            var fromSnapshot = await CreateFromAsync(after, new { size = 1, snapshot_id = snapshot });
            Fields(Handed(shared, "create_volume_from_snapshot", fromSnapshot).GetProperty("snapshot")).ShouldBe(snapshotRef);
            var clone = await CreateFromAsync(after, new { size = 1, source_volid = volume });
            Fields(Handed(shared, "create_cloned_volume", clone).GetProperty("src_vref")).ShouldBe(exportRef);
            (await ShowAsync(after, clone, "3.21")).GetProperty("provider_id").GetString().ShouldBe($"vol-pid:{clone}");

            await CallAsync(after, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"revert": {"snapshot_id": "{{{snapshot}}}"}}""", HttpStatusCode.Accepted, "3.40");
            await WaitForStatusAsync(after, $"volumes/{volume}", "volume", "available");
            var reverted = Handed(shared, "revert_to_snapshot", volume);
            Fields(reverted.GetProperty("snapshot")).ShouldBe(snapshotRef);
            Fields(reverted.GetProperty("volume")).ShouldBe(exportRef);

            await CallAsync(after, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.Accepted);
            await WaitForStatusAsync(after, $"volumes/{volume}", "volume", "available");
            Fields(Handed(shared, "extend_volume", volume).GetProperty("volume")).ShouldBe(exportRef);

            await CallAsync(after, HttpMethod.Delete, $"snapshots/{snapshot}", null, HttpStatusCode.Accepted);
            await WaitForGoneAsync(after, $"snapshots/{snapshot}");
            var deleted = Handed(shared, "delete_snapshot", snapshot);
            Fields(deleted.GetProperty("snapshot")).ShouldBe(snapshotRef);
            Fields(deleted.GetProperty("snapshot_volume")).ShouldBe(exportRef);

            await CallAsync(after, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.Accepted);
            await WaitForGoneAsync(after, $"volumes/{volume}");
            Fields(Handed(shared, "delete_volume", volume).GetProperty("volume")).ShouldBe(exportRef);
        }
        finally
        {
            shared.Delete(recursive: true);
        }
    }

    private static async Task<TestServer> StartAsync(string sections)
    {
        var server = await TestServer.StartAsync("prov", sections);
        var state = await CinderHost.WaitForAsync(server, "prov", s => s.State != BackendState.Initializing);
        state.State.ShouldBe(BackendState.Ready, state.ErrorText);
        return server;
    }

    private static async Task<JsonElement> ShowAsync(TestServer server, string id, string version) =>
        (await GetAsync(server, $"volumes/{id}", version)).GetProperty("volume");

    private static async Task<string> RawAsync(TestServer server, string path, string version)
    {
        using var response = await SendAsync(server, HttpMethod.Get, path, version: version);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> CreateFromAsync(TestServer server, object fields)
    {
        var created = await CallAsync(server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = fields }), HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        return id;
    }

    /// <summary>The driver's record of its last <paramref name="call"/> naming <paramref name="id"/> (as the volume, snapshot or new volume).</summary>
    private static JsonElement Handed(DirectoryInfo shared, string call, string id)
    {
        var path = Path.Combine(shared.FullName, "prov.handed");
        var entries = File.Exists(path) ? File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];
        var matching = entries.Where(e => e.GetProperty("call").GetString() == call
            && e.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.GetProperty("id").GetString() == id)).ToList();
        matching.ShouldNotBeEmpty($"the driver was never handed {call} of {id}: {string.Join(" | ", entries)}");
        return matching[^1];
    }

    private static ProviderFields Expected(string id, string location, string providerId, string auth) => new(id, location, auth, providerId);

    private static ProviderFields Fields(JsonElement handed) => new(
        handed.GetProperty("id").GetString()!,
        handed.GetProperty("provider_location").GetString(),
        handed.GetProperty("provider_auth").GetString(),
        handed.GetProperty("provider_id").GetString());

    private sealed record ProviderFields(string Id, string? Location, string? Auth, string? ProviderId);
}
