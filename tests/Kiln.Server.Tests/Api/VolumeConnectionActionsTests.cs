using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary><c>os-initialize_connection</c> and <c>os-terminate_connection</c> through HTTP on a fault backend.</summary>
public sealed class VolumeConnectionActionsTests
{
    private const string Connector = """{"host": "compute-1", "initiator": "iqn.1993-08.org.debian:01:abc", "ip": "192.0.2.10", "multipath": false, "platform": "x86_64", "os_type": "linux2"}""";

    private static readonly string Initialize = $$$"""{"os-initialize_connection": {"connector": {{{Connector}}}}}""";
    private static readonly string Terminate = $$$"""{"os-terminate_connection": {"connector": {{{Connector}}}}}""";

    public static TheoryData<string> BothActions => [Initialize, Terminate];

    [Fact]
    public async Task InitializeConnection_AvailableVolume_OkWithTheDriversConnectionInfoAndStatusUnchanged()
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var id = await CreateVolumeAsync(server);

        var body = await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Initialize, HttpStatusCode.OK);

        var info = body.GetProperty("connection_info");
        info.GetProperty("driver_volume_type").GetString().ShouldBe("fault");
        info.GetProperty("data").GetProperty("volume_id").GetString().ShouldBe(id);
        info.GetProperty("data").GetProperty("backend_name").GetString().ShouldBe("fast");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        (await CallLogAsync(server)).ShouldContain(" initialize_connection");
    }

    [Fact]
    public async Task TerminateConnection_AvailableVolume_AcceptedWithEmptyBody()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Initialize, HttpStatusCode.OK);

        var body = await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Terminate, HttpStatusCode.Accepted);

        body.ValueKind.ShouldBe(JsonValueKind.Undefined);
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task TerminateConnection_NullConnectorOnAnErrorVolume_Accepted()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-terminate_connection": {"connector": null}}""", HttpStatusCode.Accepted);
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_UnknownVolume_NotFound(string action)
    {
        await using var server = await StartAsync();
        var id = Guid.NewGuid();

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", action, HttpStatusCode.NotFound)).ShouldBe($"Volume {id} could not be found.");
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_AnotherProjectsVolume_NotFound(string action)
    {
        await using var server = await StartAsync();
        server.Token = "member";
        var theirs = await CreateVolumeAsync(server, project: "p2");

        await ErrorAsync(server, HttpMethod.Post, $"volumes/{theirs}/action", action, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"os-initialize_connection": {}}""", "'connector' is a required property")]
    [InlineData("""{"os-terminate_connection": {}}""", "'connector' is a required property")]
    [InlineData("""{"os-initialize_connection": {"connector": null}}""", "Kiln needs the connector as an object")]
    [InlineData("""{"os-initialize_connection": {"connector": "compute-1"}}""", "Kiln needs the connector as an object")]
    [InlineData("""{"os-terminate_connection": {"connector": 7}}""", "Kiln needs the connector as an object")]
    [InlineData("""{"os-initialize_connection": {"connector": {"host": 5}}}""", "Invalid input for field/attribute host. Value: 5.")]
    [InlineData("""{"os-initialize_connection": {"connector": {"multipath": "sometimes"}}}""", "Invalid input for field/attribute multipath")]
    [InlineData("""{"os-initialize_connection": {"connector": {}, "force": true}}""", "Additional properties are not allowed ('force' was unexpected)")]
    [InlineData("""{"os-initialize_connection": []}""", "is not of type 'object'")]
    public async Task Connection_BadBody_BadRequestAndDriverNotCalled(string body, string message)
    {
        await using var server = await StartAsync(moreSections: "fault_call_log = $DIR/fast.calls");
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await CallLogAsync(server)).ShouldNotContain("connection");
    }

    [Theory]
    [InlineData("error")]
    [InlineData("creating")]
    [InlineData("extending")]
    [InlineData("error_deleting")]
    public async Task InitializeConnection_VolumeNotAvailable_BadRequestNamingTheStatus(string status)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Initialize, HttpStatusCode.BadRequest);

        message.ShouldBe($"Invalid volume: Volume {id} status must be available to initialize a connection, but it is '{status}'.");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe(status);
    }

    [Theory]
    [InlineData("creating")]
    [InlineData("extending")]
    [InlineData("deleting")]
    public async Task TerminateConnection_VolumeTransitional_BadRequestNamingTheStatus(string status)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        // Straight to the database: os-reset_status refuses deleting, as Cinder does.
        Kiln.Core.Volumes.StatusNames.TryParseVolume(status, out var target).ShouldBeTrue();
        (await server.Service<Kiln.Core.Volumes.IVolumeRepository>().TryUpdateAsync(
            id, [Kiln.Core.Volumes.VolumeStatus.Available], v => v with { Status = target }, TestContext.Current.CancellationToken)).ShouldNotBeNull();

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Terminate, HttpStatusCode.BadRequest)).ShouldContain($"is '{status}'");
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_BackendNotReady_ConflictNamingTheStateAndUnchanged(string action)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", action, HttpStatusCode.Conflict);

        message.ShouldContain($"volume {id}: Backend node@fast is initializing");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_BackendServedByAnotherProcess_ConflictSayingSo(string action)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await server.Service<IVolumeRepository>().TryUpdateAsync(
            id, [VolumeStatus.Available], v => v with { Host = "elsewhere@remote#remote" }, TestContext.Current.CancellationToken);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", action, HttpStatusCode.Conflict);

        message.ShouldContain("its backend elsewhere@remote is not served by this Kiln process");
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_DriverSaysNotSupported_BadRequestWithItsMessage(string action)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "unsupported"}""", TestContext.Current.CancellationToken);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", action, HttpStatusCode.BadRequest);

        message.ShouldStartWith("Invalid volume: ");
        message.ShouldContain("_connection is not supported for this volume (fault_control_file ops=unsupported)");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Theory]
    [MemberData(nameof(BothActions))]
    public async Task Connection_DriverFails_ServerErrorInCindersShapeWithTheReasonAndUnchanged(string action)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", action, HttpStatusCode.InternalServerError);

        message.ShouldStartWith("Unable to fetch connection information from backend: ");
        message.ShouldContain($"of volume {id} failed: DriverException: operation failure (fault_control_file ops=fail)");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    private static async Task<string> CallLogAsync(TestServer server)
    {
        var path = Path.Combine(server.Directory, "fast.calls");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken) : string.Empty;
    }
}
