using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumeAdminActionsTests
{
    [Theory]
    [InlineData("maintenance")]
    [InlineData("attaching")]
    [InlineData("awaiting-transfer")]
    [InlineData("error_deleting")]
    public async Task ResetStatus_CinderStatus_AcceptedAndStatusSet(string status)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe(status);
    }

    [Theory]
    [InlineData("deleting", "Cannot reset-state to deleting")]
    [InlineData("in-use", "Cannot reset-state to in-use because volume does not have any attachments.")]
    public async Task ResetStatus_StatusCinderRefuses_BadRequestAndUnchanged(string status, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.BadRequest)).ShouldBe(message);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Theory]
    [InlineData("creating")]
    [InlineData("attaching")]
    [InlineData("maintenance")]
    [InlineData("error")]
    public async Task ForceDelete_AnyStatusButInUse_AcceptedAndGone(string status)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-force_delete": {}}""", HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"volumes/{id}");
    }

    [Fact]
    public async Task ForceDelete_VolumeWithSnapshots_BadRequestAndKept()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CreateSnapshotAsync(server, id);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-force_delete": {}}""", HttpStatusCode.BadRequest)).ShouldContain("dependent snapshots");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task ForceDelete_Member_ForbiddenAndKept()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        server.Token = "member";

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-force_delete": {}}""", HttpStatusCode.Forbidden);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }
}
