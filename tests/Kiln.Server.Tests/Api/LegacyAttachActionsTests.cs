using System.Net;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.AttachmentsEndpointsTests;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>The attach actions Nova used before 3.27 (os-reserve … os-force_detach), as Cinder implements them.</summary>
public sealed class LegacyAttachActionsTests
{
    [Fact]
    public async Task ReserveUnreserve_AvailableVolume_AttachingThenAvailable()
    {
        // Tempest: test_volumes_actions.VolumesActionsTest.test_reserve_unreserve_volume
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        var reserved = await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": {}}""", HttpStatusCode.Accepted);

        reserved.ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Undefined);
        (await StatusAsync(server, volume)).ShouldBe("attaching");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-unreserve": {}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Fact]
    public async Task Reserve_AlreadyReserved_BadRequestAsCinder()
    {
        // Tempest: test_volumes_negative.VolumesNegativeTest.test_reserve_volume_with_negative_volume_status
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": {}}""", HttpStatusCode.Accepted);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": {}}""", HttpStatusCode.BadRequest);

        message.ShouldBe("Invalid volume: Volume status must be available to reserve, but the status is attaching.");
        (await StatusAsync(server, volume)).ShouldBe("attaching");
    }

    [Theory]
    [InlineData("""{"os-reserve": {}}""")]
    [InlineData("""{"os-unreserve": {}}""")]
    [InlineData("""{"os-detach": {}}""")]
    [InlineData("""{"os-begin_detaching": {}}""")]
    [InlineData("""{"os-roll_detaching": {}}""")]
    [InlineData("""{"os-attach": {"mountpoint": "/dev/vdc", "instance_uuid": "8f6c6f66-3b2e-4a6a-9d0e-4c1e1d1e1d1e"}}""")]
    [InlineData("""{"os-force_detach": {}}""")]
    public async Task Action_UnknownVolume_NotFound(string body)
    {
        // Tempest: test_reserve_volume_with_nonexistent_volume_id, test_unreserve_volume_with_nonexistent_volume_id, test_detach_volumes_with_invalid_volume_id
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "volumes/xxx/action", body, HttpStatusCode.NotFound)).ShouldBe("Volume xxx could not be found.");
    }

    [Fact]
    public async Task AttachDetach_ByInstance_InUseWithTheAttachmentThenAvailable()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var instance = Guid.NewGuid().ToString();
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": null}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{instance}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);

        var shown = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume");
        shown.GetProperty("status").GetString().ShouldBe("in-use");
        var entry = shown.GetProperty("attachments").EnumerateArray().Single();
        entry.GetProperty("server_id").GetString().ShouldBe(instance);
        entry.GetProperty("device").GetString().ShouldBe("/dev/vdc");

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-begin_detaching": {}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("detaching");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-roll_detaching": {}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("in-use");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-begin_detaching": {}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-detach": {}}""", HttpStatusCode.Accepted);

        var after = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume");
        after.GetProperty("status").GetString().ShouldBe("available");
        after.GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ResetStatus_InUse_AllowedOnlyWithAnAttachmentAsCinder()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reset_status": {"status": "in-use"}}""", HttpStatusCode.BadRequest);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reset_status": {"status": "in-use"}}""", HttpStatusCode.Accepted);

        (await StatusAsync(server, volume)).ShouldBe("in-use");
    }

    [Fact]
    public async Task Attach_ReadOnlyVolume_OnlyReadOnlyAsCinder()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-update_readonly_flag": {"readonly": true}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.BadRequest))
            .ShouldBe($"Invalid attaching mode 'rw' for volume {volume}.");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc", "mode": "ro"}}""", HttpStatusCode.Accepted);

        (await StatusAsync(server, volume)).ShouldBe("in-use");
    }

    [Fact]
    public async Task LegacyNovaFlow_ReserveInitializeAttachTerminateDetach_EndsAvailable()
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": {}}""", HttpStatusCode.Accepted);

        var info = await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-initialize_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.OK);
        info.GetProperty("connection_info").GetProperty("driver_volume_type").GetString().ShouldBe("fault");
        (await StatusAsync(server, volume)).ShouldBe("attaching");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdb"}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("in-use");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-begin_detaching": {}}""", HttpStatusCode.Accepted);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-terminate_connection": {"connector": {{{Connector}}}}}""", HttpStatusCode.Accepted);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-detach": {}}""", HttpStatusCode.Accepted);

        (await StatusAsync(server, volume)).ShouldBe("available");
        var calls = await File.ReadAllTextAsync(Path.Combine(server.Directory, "fast.calls"), TestContext.Current.CancellationToken);
        calls.ShouldContain(" initialize_connection");
        calls.ShouldContain(" terminate_connection");
    }

    [Fact]
    public async Task Attach_SecondServerWithoutMultiattach_BadRequest()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);

        var message = await ErrorAsync(
            server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdd"}}""", HttpStatusCode.BadRequest);

        message.ShouldBe("Error attaching volume - InvalidVolume: Invalid volume: volume is already attached and multiple attachments are not enabled");
    }

    [Fact]
    public async Task Detach_TwoAttachmentsWithoutAnId_BadRequestThenByIdEach()
    {
        await using var server = await StartAsync();
        await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "multi", "extra_specs": {"multiattach": "<is> True"}}}""", HttpStatusCode.OK);
        var volume = await CreateVolumeAsync(server, type: "multi");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-attach": {"host_name": "h1", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-attach": {"host_name": "h2", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-detach": null}""", HttpStatusCode.BadRequest))
            .ShouldContain("More than one attachment, but no attachment_id provided");

        var ids = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("attachments").EnumerateArray()
            .Select(a => a.GetProperty("attachment_id").GetString()!).ToList();
        ids.Count.ShouldBe(2);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-detach": {"attachment_id": "{{{ids[0]}}}"}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("in-use");
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-detach": {"attachment_id": "{{{ids[1]}}}"}}""", HttpStatusCode.Accepted);
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Fact]
    public async Task ForceDetach_AttachedVolume_AdminOnlyAndDetaches()
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var volume = await CreateVolumeAsync(server);
        var attachment = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{attachment}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);
        server.Token = "member";
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-force_detach": {}}""", HttpStatusCode.Forbidden);
        server.Token = null;

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-force_detach": {"attachment_id": "{{{attachment}}}", "connector": {{{Connector}}}}}""", HttpStatusCode.Accepted);

        (await StatusAsync(server, volume)).ShouldBe("available");
        (await File.ReadAllTextAsync(Path.Combine(server.Directory, "fast.calls"), TestContext.Current.CancellationToken)).ShouldContain(" terminate_connection");
    }

    [Fact]
    public async Task BeginDetaching_NotInUse_BadRequest()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-begin_detaching": {}}""", HttpStatusCode.BadRequest))
            .ShouldBe("Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Fact]
    public async Task Reserve_BackendNotReady_ConflictAndUnchanged()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-reserve": {}}""", HttpStatusCode.Conflict)).ShouldContain("initializing");
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Theory]
    [InlineData("""{"os-attach": {"instance_uuid": "8f6c6f66-3b2e-4a6a-9d0e-4c1e1d1e1d1e"}}""", "'mountpoint' is a required property")]
    [InlineData("""{"os-attach": {"mountpoint": "/dev/vdc"}}""", "give instance_uuid or host_name")]
    [InlineData("""{"os-attach": {"mountpoint": "/dev/vdc", "host_name": "h", "mode": "wo"}}""", "is not one of ['rw', 'ro']")]
    [InlineData("""{"os-detach": {"attachment_id": "nope"}}""", "is not a 'uuid'")]
    [InlineData("""{"os-detach": {"other": 1}}""", "'other' was unexpected")]
    public async Task Action_BadBody_BadRequest(string body, string message)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", body, HttpStatusCode.BadRequest)).ShouldContain(message);
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Fact]
    public async Task Delete_AttachedVolume_RefusedEvenForcedAndWhileDetaching()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);

        await ErrorAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.BadRequest);
        await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-force_delete": {}}""", HttpStatusCode.BadRequest);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-begin_detaching": {}}""", HttpStatusCode.Accepted);
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-force_delete": {}}""", HttpStatusCode.BadRequest)).ShouldContain("must not be migrating, attached");

        (await StatusAsync(server, volume)).ShouldBe("detaching");
    }

    [Fact]
    public async Task ForceDelete_ReservedVolume_RemovesItsAttachments()
    {
        // Tempest (admin): test_volume_force_delete_when_volume_is_attaching deletes a volume reset to attaching.
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CreateAsync(server, volume, Guid.NewGuid().ToString());

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-force_delete": {}}""", HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"volumes/{volume}");
        (await GetAsync(server, "attachments", V)).GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }
}
