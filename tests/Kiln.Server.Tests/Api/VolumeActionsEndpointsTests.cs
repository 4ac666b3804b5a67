using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumeActionsEndpointsTests
{
    [Fact]
    public async Task Extend_LargerSize_AcceptedThenAvailableWithTheNewSize()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, size: 1);

        var body = await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 4}}""", HttpStatusCode.Accepted);

        body.ValueKind.ShouldBe(JsonValueKind.Undefined);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        JsonElement volume;
        do
        {
            System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
            await Task.Delay(5, TestContext.Current.CancellationToken);
            volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        }
        while (volume.GetProperty("size").GetInt32() != 4 || volume.GetProperty("status").GetString() != "available");
    }

    [Theory]
    [InlineData("""{"os-extend": {"new_size": 1}}""", "New size for extend must be greater than current size")]
    [InlineData("""{"os-extend": {"new_size": "abc"}}""", "Invalid input for field/attribute new_size. Value: abc.")]
    [InlineData("""{"os-extend": {"new_size": 2.5}}""", "Invalid input for field/attribute new_size")]
    [InlineData("""{"os-extend": {}}""", "'new_size' is a required property")]
    [InlineData("""{"os-extend": {"new_size": 3, "x": 1}}""", "Additional properties are not allowed ('x' was unexpected)")]
    [InlineData("""{"os-extend": 3}""", "is not of type 'object'")]
    [InlineData("""{"os-extend": {"new_size": 2000000}}""", "at most 1048576")]
    [InlineData("""{"os-volume_upload_image": {"image_name": "x"}}""", "There is no such action: os-volume_upload_image")]
    [InlineData("""{"os-extend": {"new_size": 3}, "os-reset_status": {"status": "error"}}""", "exactly one action")]
    [InlineData("""{}""", "exactly one action")]
    [InlineData("""{"os-reset_status": {"status": "broken"}}""", "Invalid status 'broken'")]
    [InlineData("""{"os-reset_status": {}}""", "'status' is a required property")]
    [InlineData("""{"os-reset_status": {"status": 1}}""", "Invalid input for field/attribute status")]
    [InlineData("not json", "Malformed request body")]
    public async Task Action_BadBody_BadRequestAndUnchanged(string body, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, size: 2);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("size").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task ResetStatus_Error_AcceptedAndStatusSet()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("error");
    }

    [Fact]
    public async Task Action_AnotherProjectsVolume_NotFoundAndUnchanged()
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");

        await ErrorAsync(server, HttpMethod.Post, $"volumes/{theirs}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.NotFound);

        (await GetAsync(server, $"/v3/p2/volumes/{theirs}")).GetProperty("volume").GetProperty("size").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task ResetStatus_AdminOnAnotherProjectsVolume_AcceptedAsInCinder()
    {
        await using var server = await StartAsync();
        var theirs = await CreateVolumeAsync(server, project: "p2");

        await CallAsync(server, HttpMethod.Post, $"volumes/{theirs}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"/v3/p2/volumes/{theirs}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("error");
    }

    [Fact]
    public async Task ResetStatus_Member_ForbiddenAndUnchanged()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        server.Token = "member";

        using var response = await SendAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-reset_status": {"status": "error"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Extend_BackendNotReady_ConflictNamingTheStateAndUnchanged()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.Conflict);

        message.ShouldContain("Backend node@fast is initializing");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }
}
