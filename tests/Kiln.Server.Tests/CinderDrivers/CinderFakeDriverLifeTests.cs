using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// Cinder's own <c>cinder.tests.fake_driver.FakeLoggingVolumeDriver</c> (shipped in python3-cinder), run by Kiln in
/// a driver host process: a volume's whole life through Kiln's HTTP API.
/// </summary>
public sealed class CinderFakeDriverLifeTests
{
    private const string Section = """
        [fake]
        volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
        volume_backend_name = fake
        """;

    private const string Connector = """{"host": "compute-1", "initiator": "iqn.1993-08.org.debian:01:abc", "ip": "192.0.2.10", "multipath": false, "mountpoint": "/dev/vdb"}""";

    [Fact]
    public async Task FakeLoggingVolumeDriver_WholeVolumeLife_EachStepAsCinderServesIt()
    {
        CinderHost.Prepare();
        await using var server = await TestServer.StartAsync("fake", Section);
        await CinderHost.WaitForAsync(server, "fake", s => s.State != BackendState.Initializing);
        CinderHost.Backend(server, "fake").Snapshot.State.ShouldBe(BackendState.Ready, CinderHost.Backend(server, "fake").Snapshot.ErrorText);

        // The driver's stats, as Cinder's scheduler sees them (its 'infinite' capacity is placeable).
        var pool = (await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools").EnumerateArray().Single();
        pool.GetProperty("name").GetString().ShouldBe("node@fake#fake");
        pool.GetProperty("capabilities").GetProperty("storage_protocol").GetString().ShouldBe("fake");
        pool.GetProperty("capabilities").GetProperty("driver_version").GetString().ShouldBe("3.0.0");

        var volume = await CreateVolumeAsync(server, size: 1, name: "upstream");
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fake#fake");
        var snapshot = await CreateSnapshotAsync(server, volume);
        var clone = await CreateFromAsync(server, new { size = 1, source_volid = volume });
        var fromSnapshot = await CreateFromAsync(server, new { size = 1, snapshot_id = snapshot });

        // Connection info is the driver's own: iSCSI, with the access mode it derives from the volume's admin metadata.
        var info = (await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-initialize_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.OK)).GetProperty("connection_info");
        info.GetProperty("driver_volume_type").GetString().ShouldBe("iscsi");
        info.GetProperty("data").GetProperty("access_mode").GetString().ShouldBe("rw");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-terminate_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.Accepted);

        // The attachments API (3.44): create_export + initialize_connection, then terminate_connection + remove_export.
        var attachment = (await AttachmentsEndpointsTests.CreateAsync(server, clone, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment");
        attachment.GetProperty("connection_info").GetProperty("driver_volume_type").GetString().ShouldBe("iscsi");
        var attachmentId = attachment.GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{attachmentId}/action", """{"os-complete": null}""", HttpStatusCode.NoContent, "3.44");
        (await GetAsync(server, $"volumes/{clone}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("in-use");
        await CallAsync(server, HttpMethod.Delete, $"attachments/{attachmentId}", null, HttpStatusCode.OK, "3.44");
        await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{clone}", "volume", "available");

        // Extend: this fake inherits LVM's extend, which its fake volume group lacks, so under cinder-volume it fails
        // too; Kiln reports the driver's error as Cinder does and the volume keeps its size.
        await CallAsync(server, HttpMethod.Post, $"volumes/{fromSnapshot}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.Accepted);
        var extended = await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{fromSnapshot}", "volume", "error_extending");
        extended.GetProperty("size").GetInt32().ShouldBe(1);
        CinderHost.Backend(server, "fake").Snapshot.State.ShouldBe(BackendState.Ready);

        await CallAsync(server, HttpMethod.Delete, $"snapshots/{snapshot}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"snapshots/{snapshot}");
        await CallAsync(server, HttpMethod.Post, $"volumes/{fromSnapshot}/action", """{"os-reset_status": {"status": "available"}}""", HttpStatusCode.Accepted);
        foreach (var id in new[] { volume, clone, fromSnapshot })
        {
            await CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
            await WaitForGoneAsync(server, $"volumes/{id}");
        }
    }

    private static async Task<string> CreateFromAsync(TestServer server, object fields)
    {
        var created = await CallAsync(server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = fields }), HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{id}", "volume", "available");
        return id;
    }
}
