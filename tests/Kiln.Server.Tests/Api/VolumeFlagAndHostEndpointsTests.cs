using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>os-set_bootable, os-update_readonly_flag, os-hosts, extensions, freeze/thaw and snapshot progress.</summary>
public sealed class VolumeFlagAndHostEndpointsTests
{
    [Fact]
    public async Task SetBootable_TrueThenFalse_ShownAsCinderStrings()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        foreach (var (flag, shown) in new[] { ("true", "true"), ("\"false\"", "false") })
        {
            using var response = await SendAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-set_bootable": {"bootable": {{{flag}}}}}""");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("bootable").GetString().ShouldBe(shown);
        }
    }

    [Theory]
    [InlineData("""{"os-set_bootable": {}}""")]
    [InlineData("""{"os-set_bootable": {"bootable": "perhaps"}}""")]
    [InlineData("""{"os-set_bootable": {"bootable": null}}""")]
    [InlineData("""{"os-set_bootable": {"bootable": true, "x": 1}}""")]
    [InlineData("""{"os-update_readonly_flag": {"readonly": 3}}""")]
    public async Task FlagActions_BadBody_BadRequestAndUnchanged(string body)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", body, HttpStatusCode.BadRequest);

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("bootable").GetString().ShouldBe("false");
        volume.GetProperty("metadata").TryGetProperty("readonly", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task UpdateReadonly_TrueThenFalse_InMetadataAsCinderShowsIt()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        foreach (var (flag, shown) in new[] { (true, "True"), (false, "False") })
        {
            await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-update_readonly_flag": {"readonly": {{{(flag ? "true" : "false")}}}}}""", HttpStatusCode.Accepted);
            (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("metadata").GetProperty("readonly").GetString().ShouldBe(shown);
        }

        // Listed too, and found by the metadata filter (Cinder matches admin metadata as well).
        (await GetAsync(server, "volumes/detail")).GetProperty("volumes")[0].GetProperty("metadata").GetProperty("readonly").GetString().ShouldBe("False");
        Ids(await GetAsync(server, $"volumes?metadata={Uri.EscapeDataString("{'readonly': 'False'}")}"), "volumes").ShouldBe([id]);

        // The owner's metadata API neither shows nor loses it.
        (await GetAsync(server, $"volumes/{id}/metadata")).GetProperty("metadata").TryGetProperty("readonly", out _).ShouldBeFalse();
        await CallAsync(server, HttpMethod.Put, $"volumes/{id}/metadata", """{"metadata": {"a": "b"}}""", HttpStatusCode.OK);
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("metadata").GetProperty("readonly").GetString().ShouldBe("False");
    }

    [Fact]
    public async Task UpdateReadonly_NotAvailable_BadRequestAndUnchanged()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-update_readonly_flag": {"readonly": true}}""", HttpStatusCode.BadRequest))
            .ShouldBe($"Invalid volume: Volume {id} status must be available to update readonly flag, but current status is: error.");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("metadata").TryGetProperty("readonly", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task SetBootable_OtherProjectsVolume_NotFound()
    {
        await using var server = await StartAsync();
        var theirs = await CreateVolumeAsync(server, project: "p2");
        server.Token = "member";

        await ErrorAsync(server, HttpMethod.Post, $"volumes/{theirs}/action", """{"os-set_bootable": {"bootable": true}}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hosts_ListAndShow_ServicesAndUsagePerProject()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server, size: 2);
        await CreateSnapshotAsync(server, volume);
        await CreateVolumeAsync(server, size: 3, project: "p2");

        var hosts = (await GetAsync(server, "os-hosts")).GetProperty("hosts").EnumerateArray().ToList();
        hosts.Select(h => (h.GetProperty("host_name").GetString(), h.GetProperty("service").GetString()))
            .ShouldBe([("node", "cinder-scheduler"), ("node@fast", "cinder-volume")], ignoreOrder: true);
        hosts.ShouldAllBe(h => h.GetProperty("service-state").GetString() == "enabled" && h.GetProperty("zone").GetString() == "nova");

        var resources = (await GetAsync(server, "os-hosts/node@fast")).GetProperty("host").EnumerateArray().Select(r => r.GetProperty("resource")).ToList();
        resources.Count.ShouldBe(3);
        resources[0].GetProperty("project").GetString().ShouldBe("(total)");
        resources[0].GetProperty("volume_count").GetString().ShouldBe("2");
        resources[0].GetProperty("total_volume_gb").GetString().ShouldBe("5");
        resources[0].GetProperty("snapshot_count").GetString().ShouldBe("1");
        resources[0].GetProperty("total_snapshot_gb").GetString().ShouldBe("2");
        var p1 = resources.Single(r => r.GetProperty("project").GetString() == Project);
        p1.GetProperty("total_volume_gb").GetString().ShouldBe("2");

        await ErrorAsync(server, HttpMethod.Get, "os-hosts/nowhere", null, HttpStatusCode.NotFound);
        server.Token = "member";
        (await SendAsync(server, HttpMethod.Get, "os-hosts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Extensions_List_CindersShapeWithHosts()
    {
        await using var server = await StartAsync();

        var extensions = (await GetAsync(server, "extensions")).GetProperty("extensions").EnumerateArray().ToList();

        var hosts = extensions.Single(e => e.GetProperty("name").GetString() == "Hosts");
        hosts.GetProperty("alias").GetString().ShouldBe("os-hosts");
        hosts.GetProperty("links").GetArrayLength().ShouldBe(0);
        extensions.ShouldAllBe(e => e.EnumerateObject().Count() == 5);
    }

    [Fact]
    public async Task FreezeThaw_ValidHost_RecordedAndRefusedTwice()
    {
        await using var server = await StartAsync();

        await CallAsync(server, HttpMethod.Put, "os-services/freeze", """{"host": "node@fast"}""", HttpStatusCode.OK);

        var frozen = Backend(await GetAsync(server, "os-services"));
        frozen.GetProperty("frozen").GetBoolean().ShouldBeTrue();
        frozen.GetProperty("status").GetString().ShouldBe("disabled");
        frozen.GetProperty("disabled_reason").GetString().ShouldBe("frozen");
        (await ErrorAsync(server, HttpMethod.Put, "os-services/freeze", """{"host": "node@fast"}""", HttpStatusCode.BadRequest))
            .ShouldBe("Invalid input received: No service could be changed: frozen in ['node@fast'] must be False to failover.");

        await CallAsync(server, HttpMethod.Put, "os-services/thaw", """{"host": "node@fast"}""", HttpStatusCode.OK);

        var thawed = Backend(await GetAsync(server, "os-services"));
        thawed.GetProperty("frozen").GetBoolean().ShouldBeFalse();
        thawed.GetProperty("status").GetString().ShouldBe("enabled");
        await ErrorAsync(server, HttpMethod.Put, "os-services/thaw", """{"host": "node@fast"}""", HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("freeze", """{"host": "invalid_host"}""", "Invalid input received: No service found with host=invalid_host")]
    [InlineData("thaw", """{"host": "invalid_host"}""", "Invalid input received: No service found with host=invalid_host")]
    [InlineData("freeze", """{}""", "Invalid input received: Host field is missing.")]
    [InlineData("freeze", """{"host": "node@fast", "extra": 1}""", "extra")]
    public async Task FreezeThaw_BadHost_BadRequestAndNothingFrozen(string action, string body, string message)
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Put, $"os-services/{action}", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        Backend(await GetAsync(server, "os-services")).GetProperty("frozen").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task UpdateSnapshotStatus_WithProgress_ShownAsGiven()
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("os-extended-snapshot-attributes:progress").GetString().ShouldBe("100%");
        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", """{"os-reset_status": {"status": "creating"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", """{"os-update_snapshot_status": {"status": "error", "progress": "80%"}}""", HttpStatusCode.Accepted);

        var shown = (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot");
        shown.GetProperty("status").GetString().ShouldBe("error");
        shown.GetProperty("os-extended-snapshot-attributes:progress").GetString().ShouldBe("80%");
    }

    private static System.Text.Json.JsonElement Backend(System.Text.Json.JsonElement services) =>
        services.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("binary").GetString() == "cinder-volume");
}
