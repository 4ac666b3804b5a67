using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class SnapshotActionsEndpointsTests
{
    [Theory]
    [InlineData("creating")]
    [InlineData("error")]
    [InlineData("backing-up")]
    public async Task ResetStatus_AnyCinderStatus_AcceptedAndStatusSet(string status)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));

        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe(status);
    }

    [Theory]
    [InlineData("creating", "error")]
    [InlineData("creating", "available")]
    [InlineData("deleting", "error_deleting")]
    public async Task UpdateSnapshotStatus_AllowedStep_AcceptedAndStatusSet(string from, string to)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));
        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-reset_status": {"status": "{{{from}}}"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-update_snapshot_status": {"status": "{{{to}}}", "progress": "80%"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe(to);
    }

    [Theory]
    [InlineData("available", "error", "Snapshot status available not allowed for update_snapshot_status")]
    [InlineData("creating", "error_deleting", "Provided snapshot status error_deleting not allowed for snapshot with status creating.")]
    [InlineData("deleting", "available", "Provided snapshot status available not allowed for snapshot with status deleting.")]
    public async Task UpdateSnapshotStatus_StepCinderRefuses_BadRequestAndUnchanged(string from, string to, string message)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));
        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-reset_status": {"status": "{{{from}}}"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-update_snapshot_status": {"status": "{{{to}}}"}}""", HttpStatusCode.BadRequest))
            .ShouldBe(message);

        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe(from);
    }

    [Theory]
    [InlineData("creating")]
    [InlineData("deleting")]
    [InlineData("error_deleting")]
    [InlineData("available")]
    public async Task ForceDelete_AnyStatus_AcceptedAndGone(string status)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));
        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", """{"os-force_delete": {}}""", HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"snapshots/{snapshot}");
    }

    [Theory]
    [InlineData("""{"os-reset_status": {"status": "error"}}""")]
    [InlineData("""{"os-force_delete": {}}""")]
    public async Task AdminAction_Member_ForbiddenAndUnchanged(string body)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));
        server.Token = "member";

        await CallAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", body, HttpStatusCode.Forbidden);

        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
    }

    [Theory]
    [InlineData("""{"os-reset_status": {"status": "broken"}}""", "Invalid status 'broken'")]
    [InlineData("""{"os-reset_status": {}}""", "'status' is a required property")]
    [InlineData("""{"os-reset_status": {"status": "error", "progress": "1%"}}""", "('progress' was unexpected)")]
    [InlineData("""{"os-force_delete": {"x": 1}}""", "('x' was unexpected)")]
    [InlineData("""{"os-unmanage": {}}""", "There is no such action: os-unmanage")]
    public async Task Action_BadBody_BadRequest(string body, string message)
    {
        await using var server = await StartAsync();
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server));

        (await ErrorAsync(server, HttpMethod.Post, $"snapshots/{snapshot}/action", body, HttpStatusCode.BadRequest)).ShouldContain(message);
    }
}
