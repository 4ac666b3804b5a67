using System.Net;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class LimitsEndpointsTests
{
    private static readonly string[] Absolute =
    [
        "maxTotalVolumes", "maxTotalSnapshots", "maxTotalVolumeGigabytes", "maxTotalBackups", "maxTotalBackupGigabytes",
        "totalVolumesUsed", "totalGigabytesUsed", "totalSnapshotsUsed", "totalBackupsUsed", "totalBackupGigabytesUsed",
    ];

    [Fact]
    public async Task Show_Member_ExactlyCindersAbsoluteLimitsAndNoRates()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 7");
        var volume = await CreateVolumeAsync(server, size: 3);
        await CreateSnapshotAsync(server, volume);
        server.Token = "member";

        var body = await GetAsync(server, "limits");

        Keys(body).ShouldBe(["limits"]);
        var limits = body.GetProperty("limits");
        Keys(limits).ShouldBe(["rate", "absolute"], ignoreOrder: true);
        limits.GetProperty("rate").GetArrayLength().ShouldBe(0);
        var absolute = limits.GetProperty("absolute");
        Keys(absolute).ShouldBe(Absolute, ignoreOrder: true);
        absolute.GetProperty("maxTotalVolumes").GetInt32().ShouldBe(7);
        absolute.GetProperty("maxTotalVolumeGigabytes").GetInt32().ShouldBe(1000);
        absolute.GetProperty("totalVolumesUsed").GetInt32().ShouldBe(1);
        absolute.GetProperty("totalSnapshotsUsed").GetInt32().ShouldBe(1);
        absolute.GetProperty("totalGigabytesUsed").GetInt32().ShouldBe(6);
        absolute.GetProperty("totalBackupsUsed").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Show_AdminAsksForAnotherProjectFrom339_ThatProjectsLimits()
    {
        await using var server = await QuotaApi.StartAsync();
        await SetQuotasAsync(server, "p2", """ "volumes": 3 """);

        (await GetAsync(server, "limits?project_id=p2", "3.39")).GetProperty("limits").GetProperty("absolute").GetProperty("maxTotalVolumes").GetInt32().ShouldBe(3);
        (await GetAsync(server, "limits?project_id=p2", "3.38")).GetProperty("limits").GetProperty("absolute").GetProperty("maxTotalVolumes").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task Show_MemberAsksForAnotherProject_OwnLimits()
    {
        await using var server = await QuotaApi.StartAsync();
        await SetQuotasAsync(server, "p2", """ "volumes": 3 """);
        server.Token = "member";

        (await GetAsync(server, "limits?project_id=p2", "3.39")).GetProperty("limits").GetProperty("absolute").GetProperty("maxTotalVolumes").GetInt32().ShouldBe(10);
    }
}
