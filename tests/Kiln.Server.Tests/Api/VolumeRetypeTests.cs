using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumeRetypeTests
{
    [Fact]
    public async Task Retype_PoolFits_TypeChangesInPlaceAndPerTypeQuotaMoves()
    {
        await using var server = await VolumeApi.StartAsync();
        await CreateTypeAsync(server, "gold", """{"volume_backend_name": "fast"}""");
        await CreateTypeAsync(server, "silver", """{"vendor_name": "Kiln"}""");
        var id = await CreateVolumeAsync(server, size: 2, type: "gold");
        var before = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("silver", "never"), HttpStatusCode.Accepted);

        var after = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        after.GetProperty("volume_type").GetString().ShouldBe("silver");
        after.GetProperty("status").GetString().ShouldBe("available");
        after.GetProperty("os-vol-host-attr:host").GetString().ShouldBe(before.GetProperty("os-vol-host-attr:host").GetString());
        var usage = (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set");
        usage.GetProperty("volumes_gold").GetProperty("in_use").GetInt32().ShouldBe(0);
        usage.GetProperty("volumes_silver").GetProperty("in_use").GetInt32().ShouldBe(1);
        usage.GetProperty("gigabytes_silver").GetProperty("in_use").GetInt32().ShouldBe(2);
        usage.GetProperty("volumes").GetProperty("in_use").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("never", "migration_policy is never")]
    [InlineData("on-demand", "cannot be migrated: No valid backend was found")]
    public async Task Retype_PoolDoesNotFit_BadRequestAndUnchanged(string policy, string message)
    {
        await using var server = await VolumeApi.StartAsync();
        await CreateTypeAsync(server, "elsewhere", """{"volume_backend_name": "slow"}""");
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("elsewhere", policy), HttpStatusCode.BadRequest)).ShouldContain(message);

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
        volume.GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Retype_SameTypeOrUnknownTypeOrBadPolicy_Refused()
    {
        await using var server = await VolumeApi.StartAsync();
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("__DEFAULT__", null), HttpStatusCode.BadRequest)).ShouldStartWith("Invalid volume: Retype needs volume");
        await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("nope", null), HttpStatusCode.NotFound);
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("__DEFAULT__", "sometimes"), HttpStatusCode.BadRequest)).ShouldContain("migration_policy");
        await ErrorAsync(server, HttpMethod.Post, "volumes/nope/action", Retype("__DEFAULT__", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retype_OverTheNewTypesQuota_OverLimitAndUnchanged()
    {
        await using var server = await VolumeApi.StartAsync();
        await CreateTypeAsync(server, "gold", "{}");
        var id = await CreateVolumeAsync(server);
        await SetQuotasAsync(server, Project, """ "volumes_gold": 0 """);

        (await OverLimitAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("gold", null)))
            .ShouldBe("Maximum number of volumes allowed (0) exceeded for quota 'volumes_gold'.");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
    }

    [Fact]
    public async Task Retype_BackendNotReady_ConflictAndUnchanged()
    {
        await using var server = await VolumeApi.StartAsync();
        await CreateTypeAsync(server, "gold", "{}");
        var id = await CreateVolumeAsync(server);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("gold", null), HttpStatusCode.Conflict)).ShouldContain("node@fast");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
    }

    [Fact]
    public async Task Retype_Member_RetypesItsOwnVolume()
    {
        await using var server = await VolumeApi.StartAsync();
        await CreateTypeAsync(server, "gold", "{}");
        server.Token = "member";
        var id = await CreateVolumeAsync(server);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("gold", null), HttpStatusCode.Accepted);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("volume_type").GetString().ShouldBe("gold");
    }

    private static Task<JsonElement> CreateTypeAsync(TestServer server, string name, string extraSpecs) =>
        CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}", "extra_specs": {{{extraSpecs}}}}}""", HttpStatusCode.OK);

    private static string Retype(string type, string? policy) =>
        policy is null
            ? JsonSerializer.Serialize(new Dictionary<string, object> { ["os-retype"] = new { new_type = type } })
            : JsonSerializer.Serialize(new Dictionary<string, object> { ["os-retype"] = new { new_type = type, migration_policy = policy } });
}
