using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary><c>/attachments</c> (3.27+) through HTTP on a fault backend: Cinder's state machine, bodies and refusals.</summary>
public sealed class AttachmentsEndpointsTests
{
    internal const string V = "3.44";
    internal const string Connector = """{"host": "compute-1", "initiator": "iqn.1993-08.org.debian:01:abc", "ip": "192.0.2.10", "multipath": false, "platform": "x86_64", "os_type": "linux2", "mountpoint": "/dev/vdb"}""";
    internal const string Connector2 = """{"host": "compute-2", "initiator": "iqn.1993-08.org.debian:01:def", "ip": "192.0.2.11"}""";

    [Fact]
    public async Task Create_WithoutConnector_ReservesAttachmentAndVolume()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var server1 = Guid.NewGuid().ToString();

        var body = await CreateAsync(server, volume, server1);

        var attachment = body.GetProperty("attachment");
        attachment.GetProperty("status").GetString().ShouldBe("reserved");
        attachment.GetProperty("instance").GetString().ShouldBe(server1);
        attachment.GetProperty("volume_id").GetString().ShouldBe(volume);
        attachment.GetProperty("attach_mode").GetString().ShouldBe("null");
        attachment.GetProperty("attached_at").GetString().ShouldBe(string.Empty);
        attachment.GetProperty("connection_info").EnumerateObject().ShouldBeEmpty();
        (await StatusAsync(server, volume)).ShouldBe("reserved");
        // Reserved is not attached: the volume's list shows attached attachments only.
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Create_ReadOnlyVolume_AttachedReadOnlyAsCinder()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-update_readonly_flag": {"readonly": true}}""", HttpStatusCode.Accepted);

        var created = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment");

        created.GetProperty("attach_mode").GetString().ShouldBe("ro");
        created.GetProperty("connection_info").GetProperty("access_mode").GetString().ShouldBe("ro");
    }

    [Fact]
    public async Task FullCycle_CreateWithConnectorCompleteDelete_VolumeAttachingInUseAvailable()
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var volume = await CreateVolumeAsync(server);
        var instance = Guid.NewGuid().ToString();

        var created = (await CreateAsync(server, volume, instance, Connector)).GetProperty("attachment");
        var id = created.GetProperty("id").GetString()!;
        created.GetProperty("status").GetString().ShouldBe("attaching");
        created.GetProperty("attach_mode").GetString().ShouldBe("rw");
        var info = created.GetProperty("connection_info");
        info.GetProperty("driver_volume_type").GetString().ShouldBe("fault");
        info.GetProperty("volume_id").GetString().ShouldBe(volume);
        info.GetProperty("attachment_id").GetString().ShouldBe(id);
        info.GetProperty("access_mode").GetString().ShouldBe("rw");
        (await StatusAsync(server, volume)).ShouldBe("attaching");
        (await CallLogAsync(server)).ShouldContain(" initialize_connection");

        await CallAsync(server, HttpMethod.Post, $"attachments/{id}/action", """{"os-complete": null}""", HttpStatusCode.NoContent, V);

        (await StatusAsync(server, volume)).ShouldBe("in-use");
        var shown = (await GetAsync(server, $"attachments/{id}", V)).GetProperty("attachment");
        shown.GetProperty("status").GetString().ShouldBe("attached");
        var entry = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("attachments").EnumerateArray().Single();
        entry.GetProperty("attachment_id").GetString().ShouldBe(id);
        entry.GetProperty("id").GetString().ShouldBe(volume);
        entry.GetProperty("volume_id").GetString().ShouldBe(volume);
        entry.GetProperty("server_id").GetString().ShouldBe(instance);
        entry.GetProperty("device").GetString().ShouldBe("/dev/vdb");
        entry.GetProperty("host_name").GetString().ShouldBe("compute-1");
        entry.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["attached_at", "attachment_id", "device", "host_name", "id", "server_id", "volume_id"]);

        var deleted = await CallAsync(server, HttpMethod.Delete, $"attachments/{id}", null, HttpStatusCode.OK, V);

        deleted.GetProperty("attachments").GetArrayLength().ShouldBe(0);
        (await StatusAsync(server, volume)).ShouldBe("available");
        (await CallLogAsync(server)).ShouldContain(" terminate_connection");
        await ErrorAsync(server, HttpMethod.Get, $"attachments/{id}", null, HttpStatusCode.NotFound, V);
    }

    [Fact]
    public async Task Update_ReservedAttachment_ConnectsAndReturnsConnectionInfo()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var id = (await CreateAsync(server, volume, Guid.NewGuid().ToString())).GetProperty("attachment").GetProperty("id").GetString()!;

        var updated = (await CallAsync(server, HttpMethod.Put, $"attachments/{id}", $$$"""{"attachment": {"connector": {{{Connector}}}}}""", HttpStatusCode.OK, V))
            .GetProperty("attachment");

        updated.GetProperty("status").GetString().ShouldBe("attaching");
        updated.GetProperty("connection_info").GetProperty("driver_volume_type").GetString().ShouldBe("fault");
        (await StatusAsync(server, volume)).ShouldBe("attaching");
    }

    [Fact]
    public async Task Create_SecondAttachmentOfAVolumeWithoutMultiattach_BadRequestAndUnchanged()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var first = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{first}/action", """{"os-complete": {}}""", HttpStatusCode.NoContent, V);

        var message = await ErrorAsync(server, HttpMethod.Post, "attachments", Body(volume, Guid.NewGuid().ToString(), Connector2), HttpStatusCode.BadRequest, V);

        message.ShouldBe($"Invalid volume: Volume {volume} status must be available or downloading to reserve, but the current status is in-use.");
        (await StatusAsync(server, volume)).ShouldBe("in-use");
        (await GetAsync(server, $"attachments?volume_id={volume}", V)).GetProperty("attachments").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Create_SameServerAgainWhileInUse_AllowedAsCinderDoesForAMove()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var instance = Guid.NewGuid().ToString();
        var first = (await CreateAsync(server, volume, instance, Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{first}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);

        var second = (await CreateAsync(server, volume, instance)).GetProperty("attachment");

        second.GetProperty("status").GetString().ShouldBe("reserved");
        (await StatusAsync(server, volume)).ShouldBe("in-use");
    }

    [Fact]
    public async Task Multiattach_TwoHostsAtOnce_BothAttachedAndVolumeInUseUntilTheLastIsDeleted()
    {
        await using var server = await StartAsync();
        await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "multi", "extra_specs": {"multiattach": "<is> True"}}}""", HttpStatusCode.OK);
        var volume = await CreateVolumeAsync(server, type: "multi");
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("multiattach").GetBoolean().ShouldBeTrue();

        var a = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{a}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);
        var b = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector2)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{b}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);

        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("attachments").GetArrayLength().ShouldBe(2);
        (await StatusAsync(server, volume)).ShouldBe("in-use");

        var left = await CallAsync(server, HttpMethod.Delete, $"attachments/{a}", null, HttpStatusCode.OK, V);
        Ids(left, "attachments").ShouldBe([b]);
        (await StatusAsync(server, volume)).ShouldBe("in-use");

        await CallAsync(server, HttpMethod.Delete, $"attachments/{b}", null, HttpStatusCode.OK, V);
        (await StatusAsync(server, volume)).ShouldBe("available");
    }

    [Fact]
    public async Task DeleteReserved_VolumeBackToAvailableWithoutCallingTheDriver()
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var volume = await CreateVolumeAsync(server);
        var id = (await CreateAsync(server, volume, Guid.NewGuid().ToString())).GetProperty("attachment").GetProperty("id").GetString()!;

        await CallAsync(server, HttpMethod.Delete, $"attachments/{id}", null, HttpStatusCode.OK, V);

        (await StatusAsync(server, volume)).ShouldBe("available");
        (await CallLogAsync(server)).ShouldNotContain("connection");
    }

    [Fact]
    public async Task Create_BackendNotReady_ConflictAndNothingChanges()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        var message = await ErrorAsync(server, HttpMethod.Post, "attachments", Body(volume, Guid.NewGuid().ToString(), Connector), HttpStatusCode.Conflict, V);

        message.ShouldContain("Backend node@fast is initializing");
        (await StatusAsync(server, volume)).ShouldBe("available");
        (await GetAsync(server, "attachments", V)).GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task BackendNotReady_ExistingAttachmentKeptAndItsDeleteRefused()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var id = (await CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{id}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Delete, $"attachments/{id}", null, HttpStatusCode.Conflict, V)).ShouldContain("initializing");

        (await StatusAsync(server, volume)).ShouldBe("in-use");
        (await GetAsync(server, $"attachments/{id}", V)).GetProperty("attachment").GetProperty("status").GetString().ShouldBe("attached");
    }

    [Fact]
    public async Task Create_DriverFails_ServerErrorAndReservationRolledBack()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);

        var message = await ErrorAsync(server, HttpMethod.Post, "attachments", Body(volume, Guid.NewGuid().ToString(), Connector), HttpStatusCode.InternalServerError, V);

        message.ShouldStartWith("Unable to create attachment for volume (");
        (await StatusAsync(server, volume)).ShouldBe("available");
        (await GetAsync(server, "attachments", V)).GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("error_extending")]
    public async Task Create_VolumeInError_BadRequestNamingTheStatus(string status)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, "attachments", Body(volume, Guid.NewGuid().ToString()), HttpStatusCode.BadRequest, V))
            .ShouldContain($"currently has a status of: {status}");
    }

    [Fact]
    public async Task Attachments_BelowTheirMicroversion_NotFound()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);

        await ErrorAsync(server, HttpMethod.Post, "attachments", Body(volume, Guid.NewGuid().ToString()), HttpStatusCode.NotFound, "3.26");
        await ErrorAsync(server, HttpMethod.Get, "attachments", null, HttpStatusCode.NotFound);
        var id = (await CreateAsync(server, volume, Guid.NewGuid().ToString())).GetProperty("attachment").GetProperty("id").GetString()!;
        await ErrorAsync(server, HttpMethod.Post, $"attachments/{id}/action", "{\"os-complete\": null}", HttpStatusCode.NotFound, "3.43");
        (await StatusAsync(server, volume)).ShouldBe("reserved");
    }

    [Theory]
    [InlineData("""{"attachment": {}}""", "'volume_uuid' is a required property")]
    [InlineData("""{"attachment": {"volume_uuid": "nope"}}""", "is not a 'uuid'")]
    [InlineData("""{"attachment": {"volume_uuid": "8f6c6f66-3b2e-4a6a-9d0e-4c1e1d1e1d1e", "extra": 1}}""", "'extra' was unexpected")]
    [InlineData("""{"attachment": {"volume_uuid": "8f6c6f66-3b2e-4a6a-9d0e-4c1e1d1e1d1e", "mode": "ro"}}""", "'mode' was unexpected")]
    [InlineData("""{"attachment": {"volume_uuid": "8f6c6f66-3b2e-4a6a-9d0e-4c1e1d1e1d1e", "connector": "compute-1"}}""", "connector as an object")]
    public async Task Create_BadBody_BadRequest(string body, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Post, "attachments", body, HttpStatusCode.BadRequest, V)).ShouldContain(message);
    }

    [Fact]
    public async Task Create_UnknownVolume_NotFound()
    {
        await using var server = await StartAsync();
        var id = Guid.NewGuid();

        (await ErrorAsync(server, HttpMethod.Post, "attachments", Body(id.ToString(), null), HttpStatusCode.NotFound, V)).ShouldBe($"Volume {id} could not be found.");
    }

    [Fact]
    public async Task Attachment_OfAnotherProject_NotFoundForAMember()
    {
        await using var server = await StartAsync();
        var theirs = await CreateVolumeAsync(server, project: "p2");
        var created = await CallAsync(server, HttpMethod.Post, "/v3/p2/attachments", Body(theirs, Guid.NewGuid().ToString()), HttpStatusCode.OK, V);
        var id = created.GetProperty("attachment").GetProperty("id").GetString()!;
        server.Token = "member";

        (await ErrorAsync(server, HttpMethod.Get, $"attachments/{id}", null, HttpStatusCode.NotFound, V)).ShouldBe($"Volume attachment could not be found with filter: attachment_id = {id}.");
        await ErrorAsync(server, HttpMethod.Delete, $"attachments/{id}", null, HttpStatusCode.NotFound, V);
        (await GetAsync(server, "attachments", V)).GetProperty("attachments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task List_FiltersAndDetailAndPaging_AsCinder()
    {
        await using var server = await StartAsync();
        var one = await CreateVolumeAsync(server);
        var two = await CreateVolumeAsync(server);
        var a = (await CreateAsync(server, one, Guid.NewGuid().ToString())).GetProperty("attachment").GetProperty("id").GetString()!;
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var b = (await CreateAsync(server, two, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;

        var summary = (await GetAsync(server, "attachments", V)).GetProperty("attachments");
        summary.EnumerateArray().Select(x => x.GetProperty("id").GetString()).ShouldBe([b, a]);
        summary[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["id", "instance", "status", "volume_id"]);
        var detail = (await GetAsync(server, "attachments/detail", V)).GetProperty("attachments");
        detail[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["attach_mode", "attached_at", "connection_info", "detached_at", "id", "instance", "status", "volume_id"]);
        Ids(await GetAsync(server, $"attachments?volume_id={one}", V), "attachments").ShouldBe([a]);
        Ids(await GetAsync(server, "attachments?status=attaching", V), "attachments").ShouldBe([b]);
        Ids(await GetAsync(server, "attachments?limit=1", V), "attachments").ShouldBe([b]);
        Ids(await GetAsync(server, $"attachments?marker={b}", V), "attachments").ShouldBe([a]);
        (await ErrorAsync(server, HttpMethod.Get, "attachments?color=red", null, HttpStatusCode.BadRequest, V)).ShouldContain("Invalid filters color");
    }

    [Fact]
    public async Task Mode_From354_RecordedAndGivenToTheHost()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        if (Kiln.Server.Api.ApiVersion.Max < new Kiln.Server.Api.ApiVersion(3, 54))
        {
            // Until the maximum microversion reaches 3.54 the mode is refused as an unknown field.
            (await ErrorAsync(server, HttpMethod.Post, "attachments", ModeBody(volume), HttpStatusCode.BadRequest, V)).ShouldContain("'mode' was unexpected");
            return;
        }

        var attachment = (await CallAsync(server, HttpMethod.Post, "attachments", ModeBody(volume), HttpStatusCode.OK, "3.54")).GetProperty("attachment");

        attachment.GetProperty("attach_mode").GetString().ShouldBe("ro");
        attachment.GetProperty("connection_info").GetProperty("access_mode").GetString().ShouldBe("ro");
    }

    internal static string Body(string volume, string? instance, string? connector = null)
    {
        var fields = new List<string> { $"\"volume_uuid\": \"{volume}\"" };
        if (instance is not null)
        {
            fields.Add($"\"instance_uuid\": \"{instance}\"");
        }

        if (connector is not null)
        {
            fields.Add($"\"connector\": {connector}");
        }

        return $"{{\"attachment\": {{{string.Join(", ", fields)}}}}}";
    }

    internal static Task<JsonElement> CreateAsync(TestServer server, string volume, string instance, string? connector = null) =>
        CallAsync(server, HttpMethod.Post, "attachments", Body(volume, instance, connector), HttpStatusCode.OK, V);

    internal static async Task<string> StatusAsync(TestServer server, string volume) =>
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("status").GetString()!;

    private static string ModeBody(string volume) =>
        $$$"""{"attachment": {"volume_uuid": "{{{volume}}}", "instance_uuid": "{{{Guid.NewGuid()}}}", "mode": "ro", "connector": {{{Connector}}}}}""";

    private static async Task<string> CallLogAsync(TestServer server)
    {
        var path = Path.Combine(server.Directory, "fast.calls");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken) : string.Empty;
    }
}
