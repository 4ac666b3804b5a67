using System.Net;
using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Identity;

/// <summary>The API with <c>auth_strategy = keystone</c> against a fake Keystone: who may do what, as Cinder decides it.</summary>
public sealed class KeystoneApiTests
{
    private const string ProjectA = "p-a";
    private const string ProjectB = "p-b";

    private static async Task<(TestServer Server, FakeKeystone Keystone)> StartAsync()
    {
        var keystone = await FakeKeystone.StartAsync(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var server = await TestServer.StartAsync(
            "fast",
            OneBackend + $"""


                [keystone_authtoken]
                www_authenticate_uri = http://keystone.example:5000
                auth_url = {keystone.Url}
                auth_type = password
                username = {FakeKeystone.User}
                password = {FakeKeystone.Password}
                project_name = {FakeKeystone.Project}
                http_request_max_retries = 0
                """,
            defaults: "auth_strategy = keystone",
            configureServices: services => services.Replace(ServiceDescriptor.Singleton<IRequestAuthenticator, KeystoneAuthenticator>()));
        var expires = server.Time.GetUtcNow().AddHours(1);
        keystone.AddToken("member-a", () => KeystoneTokens.ProjectScoped(expires, "user-a", ProjectA, "member", "reader"));
        keystone.AddToken("member-b", () => KeystoneTokens.ProjectScoped(expires, "user-b", ProjectB, "member", "reader"));
        keystone.AddToken("admin-b", () => KeystoneTokens.ProjectScoped(expires, "admin-user", ProjectB, "admin", "member", "reader"));
        await WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        return (server, keystone);
    }

    [Fact]
    public async Task Request_NoToken_UnauthorizedWithTheKeystoneChallenge()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;

        using var response = await SendAsync(server, HttpMethod.Get, $"/v3/{ProjectA}/volumes");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Keystone uri=\"http://keystone.example:5000\"");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("requires authentication");
    }

    [Fact]
    public async Task Request_MadeUpToken_Unauthorized()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "made-up";

        using var response = await SendAsync(server, HttpMethod.Get, $"/v3/{ProjectA}/volumes");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Versions_NoToken_StillAnswered()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;

        using var response = await SendAsync(server, HttpMethod.Get, "/v3/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Member_OwnProject_CreatesAndSeesCindersMemberView()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-a";

        var id = await CreateVolumeAsync(server, project: ProjectA);

        var volume = (await GetAsync(server, $"/v3/{ProjectA}/volumes/{id}")).GetProperty("volume");
        volume.GetProperty("user_id").GetString().ShouldBe("user-a");
        volume.TryGetProperty("os-vol-host-attr:host", out _).ShouldBeFalse();
        volume.TryGetProperty("migration_status", out _).ShouldBeFalse();
        volume.TryGetProperty("error_reason", out _).ShouldBeFalse();

        // The project-less URL (3.67) serves the token's project.
        (await GetAsync(server, "/v3/volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Member_AnotherProjectsUrl_BadRequestAsInCinder()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-b";

        var message = await ErrorAsync(server, HttpMethod.Get, $"/v3/{ProjectA}/volumes", null, HttpStatusCode.BadRequest);

        message.ShouldBe($"Malformed request URL: URL's project_id '{ProjectA}' doesn't match Context's project_id '{ProjectB}'");
    }

    [Theory]
    [InlineData("PUT", "os-services/disable", """{"host": "node@fast", "binary": "cinder-volume"}""", "volume_extension:services:update")]
    [InlineData("GET", "os-services", null, "volume_extension:services:index")]
    [InlineData("POST", "types", """{"volume_type": {"name": "gold"}}""", "volume_extension:type_create")]
    [InlineData("GET", "scheduler-stats/get_pools", null, "scheduler_extension:scheduler_stats:get_pools")]
    [InlineData("PUT", "os-services/reinit", """{"host": "node@fast"}""", "volume_extension:services:reinit")]
    public async Task Member_AdminOnlyRoute_ForbiddenWithCindersMessage(string method, string path, string? body, string rule)
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-a";

        using var response = await SendAsync(server, new HttpMethod(method), $"/v3/{ProjectA}/{path}", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("forbidden");
        error.GetProperty("message").GetString().ShouldBe($"Policy doesn't allow {rule} to be performed.");
        server.Token = null;
    }

    [Fact]
    public async Task Member_ResetStatusOfOwnVolume_ForbiddenAndUnchanged()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-a";
        var id = await CreateVolumeAsync(server, project: ProjectA);

        using var response = await SendAsync(server, HttpMethod.Post, $"/v3/{ProjectA}/volumes/{id}/action", """{"os-reset_status": {"status": "error"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await GetAsync(server, $"/v3/{ProjectA}/volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Admin_AnotherProjectsVolume_ReachedByIdAndListedWithAllTenants()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-a";
        var theirs = await CreateVolumeAsync(server, project: ProjectA);
        server.Token = "admin-b";

        await CallAsync(server, HttpMethod.Post, $"/v3/{ProjectB}/volumes/{theirs}/action", """{"os-reset_status": {"status": "error"}}""", HttpStatusCode.Accepted);

        var shown = (await GetAsync(server, $"/v3/{ProjectB}/volumes/{theirs}")).GetProperty("volume");
        shown.GetProperty("status").GetString().ShouldBe("error");
        shown.GetProperty("os-vol-tenant-attr:tenant_id").GetString().ShouldBe(ProjectA);
        shown.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fast#fast");
        (await GetAsync(server, $"/v3/{ProjectB}/volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(0);
        (await GetAsync(server, $"/v3/{ProjectB}/volumes?all_tenants=1")).GetProperty("volumes").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task KeystoneDown_UncachedTokenServiceUnavailable_CachedTokenStillServed()
    {
        var (server, keystone) = await StartAsync();
        await using var serverScope = server;
        await using var keystoneScope = keystone;
        server.Token = "member-a";
        (await GetAsync(server, $"/v3/{ProjectA}/volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(0);

        await keystone.StopAsync();

        (await GetAsync(server, $"/v3/{ProjectA}/volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(0);
        server.Token = "member-b";
        using var response = await SendAsync(server, HttpMethod.Get, $"/v3/{ProjectB}/volumes");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }
}
