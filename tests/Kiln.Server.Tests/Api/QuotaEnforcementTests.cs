using System.Net;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class QuotaEnforcementTests
{
    [Fact]
    public async Task CreateVolume_OverVolumes_OverLimitAndNoVolume()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 1");
        await CreateVolumeAsync(server);

        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}"""))
            .ShouldBe("Maximum number of volumes allowed (1) exceeded for quota 'volumes'.");

        Ids(await GetAsync(server, "volumes"), "volumes").Length.ShouldBe(1);
    }

    [Fact]
    public async Task CreateVolume_OverGigabytes_OverLimitWithConsumedAndQuota()
    {
        await using var server = await QuotaApi.StartAsync("quota_gigabytes = 10");
        await CreateVolumeAsync(server, size: 8);

        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 5}}"""))
            .ShouldBe("Requested volume or snapshot exceeds allowed gigabytes quota. Requested 5G, quota is 10G and 8G has been consumed.");

        // What fits is still accepted.
        await CreateVolumeAsync(server, size: 2);
    }

    [Fact]
    public async Task CreateVolume_OverPerTypeQuota_OverLimitNamingTheTypeResource()
    {
        await using var server = await QuotaApi.StartAsync();
        await SetQuotasAsync(server, Project, """ "volumes___DEFAULT__": 0 """);

        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}"""))
            .ShouldBe("Maximum number of volumes allowed (0) exceeded for quota 'volumes___DEFAULT__'.");
    }

    [Fact]
    public async Task CreateVolume_LargerThanPerVolumeLimit_OverLimitAsCinder()
    {
        await using var server = await QuotaApi.StartAsync("per_volume_size_limit = 5");

        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 6}}"""))
            .ShouldBe("Requested volume size 6G is larger than maximum allowed limit 5G.");

        await CreateVolumeAsync(server, size: 5);
    }

    [Fact]
    public async Task DeleteVolume_AtTheLimit_FreesItsQuota()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 1");
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"volumes/{id}");

        await CreateVolumeAsync(server);
    }

    [Fact]
    public async Task ErrorVolume_StillCounts_UntilDeleted()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 1");
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);
        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "error");

        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""")).ShouldContain("(1) exceeded for quota 'volumes'");
    }

    [Fact]
    public async Task Extend_OverGigabytes_OverLimitAndSizeUnchanged()
    {
        await using var server = await QuotaApi.StartAsync("quota_gigabytes = 4");
        var id = await CreateVolumeAsync(server, size: 2);

        (await OverLimitAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 5}}"""))
            .ShouldBe("Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 4G and 2G has been consumed.");

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("size").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Extend_WithinQuota_ReservedWhileExtendingThenInUse()
    {
        await using var server = await QuotaApi.StartAsync("quota_gigabytes = 4");
        var id = await CreateVolumeAsync(server, size: 2);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 4}}""", HttpStatusCode.Accepted);
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");

        var gigabytes = (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set").GetProperty("gigabytes");
        gigabytes.GetProperty("in_use").GetInt32().ShouldBe(4);
        gigabytes.GetProperty("reserved").GetInt32().ShouldBe(0);
        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""")).ShouldContain("quota is 4G and 4G has been consumed");
    }

    [Fact]
    public async Task CreateSnapshot_OverSnapshotsOrGigabytes_OverLimit()
    {
        await using var server = await QuotaApi.StartAsync("""
            quota_snapshots = 1
            quota_gigabytes = 5
            """);
        var volume = await CreateVolumeAsync(server, size: 2);
        await CreateSnapshotAsync(server, volume);
        var body = $$$"""{"snapshot": {"volume_id": "{{{volume}}}"}}""";

        (await OverLimitAsync(server, HttpMethod.Post, "snapshots", body)).ShouldBe("Maximum number of snapshots allowed (1) exceeded");

        await SetQuotasAsync(server, Project, """ "snapshots": 5 """);
        (await OverLimitAsync(server, HttpMethod.Post, "snapshots", body))
            .ShouldBe("Requested volume or snapshot exceeds allowed gigabytes quota. Requested 2G, quota is 5G and 4G has been consumed.");
    }

    [Fact]
    public async Task CreateSnapshot_NoSnapshotGbQuota_SnapshotsOutOfGigabytes()
    {
        await using var server = await QuotaApi.StartAsync("""
            quota_gigabytes = 2
            no_snapshot_gb_quota = true
            """);
        var volume = await CreateVolumeAsync(server, size: 2);

        await CreateSnapshotAsync(server, volume);

        (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set").GetProperty("gigabytes").GetProperty("in_use").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task CreateVolume_TwentyInParallelAgainstFive_ExactlyFiveAccepted()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 5");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await SendAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""");
            return response.StatusCode;
        }));

        answers.Count(s => s == HttpStatusCode.Accepted).ShouldBe(5);
        answers.Count(s => s == HttpStatusCode.RequestEntityTooLarge).ShouldBe(15);
        Ids(await GetAsync(server, "volumes"), "volumes").Length.ShouldBe(5);
        (await GetAsync(server, $"os-quota-sets/{Project}?usage=true")).GetProperty("quota_set").GetProperty("volumes").GetProperty("in_use").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task CreateVolume_OtherProjectsUsage_NotCounted()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 1");
        await CreateVolumeAsync(server, project: "p2");

        await CreateVolumeAsync(server);
    }
}
