using System.Net;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.AttachmentsEndpointsTests;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Attachments;

/// <summary>What Cinder refuses an attached volume, through HTTP: snapshots without force before 3.66, extend, delete.</summary>
public sealed class AttachmentRulesApiTests
{
    [Fact]
    public async Task Snapshot_InUseBefore366_RefusedWithoutForceAndAcceptedWithIt()
    {
        await using var server = await StartAsync();
        var volume = await InUseVolumeAsync(server);

        var message = await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}"}}""", HttpStatusCode.BadRequest, "3.65");
        message.ShouldBe($"Invalid volume: Volume {volume} status must be available, but current status is: in-use.");

        var created = await CallAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}", "force": true}}""", HttpStatusCode.Accepted, "3.65");
        await WaitForStatusAsync(server, $"snapshots/{created.GetProperty("snapshot").GetProperty("id").GetString()}", "snapshot", "available");
        (await StatusAsync(server, volume)).ShouldBe("in-use");
    }

    [Fact]
    public async Task Snapshot_InUseFrom366_AcceptedWithoutForceAndForceFalseRefused()
    {
        await using var server = await StartAsync();
        var volume = await InUseVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}", "force": false}}""", HttpStatusCode.BadRequest, "3.66"))
            .ShouldStartWith("Since microversion 3.66 the 'force' flag is invalid for this request.");

        var created = await CallAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}"}}""", HttpStatusCode.Accepted, "3.66");
        await WaitForStatusAsync(server, $"snapshots/{created.GetProperty("snapshot").GetProperty("id").GetString()}", "snapshot", "available");
    }

    [Fact]
    public async Task Snapshot_ReservedVolumeEvenForced_Refused()
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        await AttachmentsEndpointsTests.CreateAsync(server, volume, Guid.NewGuid().ToString());

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", $$$"""{"snapshot": {"volume_id": "{{{volume}}}", "force": true}}""", HttpStatusCode.BadRequest, "3.65"))
            .ShouldBe($"Invalid volume: Volume {volume} status must be available or in-use, but current status is: reserved.");
    }

    [Fact]
    public async Task ExtendAndDelete_InUseVolume_RefusedAndUnchanged()
    {
        await using var server = await StartAsync();
        var volume = await InUseVolumeAsync(server);

        await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.BadRequest, "3.41");
        await ErrorAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.BadRequest);

        var shown = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume");
        shown.GetProperty("status").GetString().ShouldBe("in-use");
        shown.GetProperty("size").GetInt32().ShouldBe(1);
    }

    private static async Task<string> InUseVolumeAsync(TestServer server)
    {
        var volume = await CreateVolumeAsync(server);
        var id = (await AttachmentsEndpointsTests.CreateAsync(server, volume, Guid.NewGuid().ToString(), Connector)).GetProperty("attachment").GetProperty("id").GetString()!;
        await CallAsync(server, HttpMethod.Post, $"attachments/{id}/action", "{\"os-complete\": null}", HttpStatusCode.NoContent, V);
        (await StatusAsync(server, volume)).ShouldBe("in-use");
        return volume;
    }
}
