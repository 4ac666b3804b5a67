using System.Net;

namespace Kiln.Server.Tests.Api;

/// <summary>os-services enable / disable / disable-log-reason, and their effect on placement.</summary>
public sealed class ServiceAdminEndpointsTests
{
    [Fact]
    public async Task Disable_VolumeBackendWithReason_ListedDisabledAndNewVolumesNotPlacedThere()
    {
        await using var server = await VolumeApi.StartAsync();
        server.KilnExtensions = true;

        var body = await VolumeApi.CallAsync(
            server, HttpMethod.Put, "os-services/disable-log-reason",
            """{"host": "node@fast", "binary": "cinder-volume", "disabled_reason": "array firmware upgrade"}""", HttpStatusCode.OK);

        body.GetProperty("status").GetString().ShouldBe("disabled");
        body.GetProperty("disabled").GetBoolean().ShouldBeTrue();
        body.GetProperty("disabled_reason").GetString().ShouldBe("array firmware upgrade");
        var services = await VolumeApi.GetAsync(server, "os-services?host=node@fast");
        var fast = services.GetProperty("services")[0];
        fast.GetProperty("status").GetString().ShouldBe("disabled");
        fast.GetProperty("disabled_reason").GetString().ShouldBe("array firmware upgrade");

        var created = await VolumeApi.CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var volume = await VolumeApi.WaitForStatusAsync(server, $"volumes/{id}", "volume", "error");
        volume.GetProperty("error_reason").GetString()!.ShouldContain("node@fast: disabled by an operator (array firmware upgrade)");
    }

    [Fact]
    public async Task Enable_AfterDisable_ClearsReasonAndPlacesAgain()
    {
        await using var server = await VolumeApi.StartAsync();
        await VolumeApi.CallAsync(server, HttpMethod.Put, "os-services/disable", """{"host": "node@fast", "binary": "cinder-volume"}""", HttpStatusCode.OK);

        var body = await VolumeApi.CallAsync(server, HttpMethod.Put, "os-services/enable", """{"host": "node@fast", "binary": "cinder-volume"}""", HttpStatusCode.OK);

        body.GetProperty("status").GetString().ShouldBe("enabled");
        body.GetProperty("disabled_reason").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        await VolumeApi.CreateVolumeAsync(server);
    }

    [Theory]
    [InlineData("os-services/disable", """{"host": "node@nope", "binary": "cinder-volume"}""", HttpStatusCode.NotFound, "could not be found")]
    [InlineData("os-services/disable", """{"host": "node@fast"}""", HttpStatusCode.BadRequest, "Missing required element")]
    [InlineData("os-services/enable", """{"binary": "cinder-volume"}""", HttpStatusCode.BadRequest, "Missing required element")]
    [InlineData("os-services/disable-log-reason", """{"host": "node@fast", "binary": "cinder-volume"}""", HttpStatusCode.BadRequest, "Disabled reason")]
    [InlineData("os-services/disable", "{oops", HttpStatusCode.BadRequest, "Malformed request body")]
    public async Task SetDisabled_BadRequest_CinderErrorAndStillEnabled(string path, string body, HttpStatusCode status, string message)
    {
        await using var server = await VolumeApi.StartAsync();

        var error = await VolumeApi.ErrorAsync(server, HttpMethod.Put, path, body, status);

        error.ShouldContain(message);
        var fast = (await VolumeApi.GetAsync(server, "os-services?host=node@fast")).GetProperty("services")[0];
        fast.GetProperty("status").GetString().ShouldBe("enabled");
    }
}
