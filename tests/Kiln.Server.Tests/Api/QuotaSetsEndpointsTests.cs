using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class QuotaSetsEndpointsTests
{
    [Fact]
    public async Task Show_NoOverrides_CinderDefaultsWithExactlyTheSchemaKeys()
    {
        await using var server = await QuotaApi.StartAsync();

        var set = (await GetAsync(server, "os-quota-sets/p2")).GetProperty("quota_set");

        Keys(set).ShouldBe(["id", .. Resources], ignoreOrder: true);
        set.GetProperty("id").GetString().ShouldBe("p2");
        set.GetProperty("volumes").GetInt32().ShouldBe(10);
        set.GetProperty("snapshots").GetInt32().ShouldBe(10);
        set.GetProperty("gigabytes").GetInt32().ShouldBe(1000);
        set.GetProperty("backups").GetInt32().ShouldBe(10);
        set.GetProperty("backup_gigabytes").GetInt32().ShouldBe(1000);
        set.GetProperty("per_volume_gigabytes").GetInt32().ShouldBe(-1);
        set.GetProperty("groups").GetInt32().ShouldBe(10);
        set.GetProperty("volumes___DEFAULT__").GetInt32().ShouldBe(-1);
    }

    [Fact]
    public async Task Defaults_ConfiguredOptions_ShownForEveryProject()
    {
        await using var server = await QuotaApi.StartAsync("""
            quota_volumes = 3
            quota_gigabytes = -1
            per_volume_size_limit = 50
            """);

        var set = (await GetAsync(server, "os-quota-sets/p2/defaults")).GetProperty("quota_set");

        Keys(set).ShouldBe(["id", .. Resources], ignoreOrder: true);
        set.GetProperty("volumes").GetInt32().ShouldBe(3);
        set.GetProperty("gigabytes").GetInt32().ShouldBe(-1);
        set.GetProperty("per_volume_gigabytes").GetInt32().ShouldBe(50);
        set.GetProperty("snapshots").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task Update_SomeLimits_AnswersTheWholeSetWithoutIdAndShowKeepsThem()
    {
        await using var server = await QuotaApi.StartAsync();

        var updated = (await SetQuotasAsync(server, "p2", """ "volumes": 4, "gigabytes": "20", "gigabytes___DEFAULT__": 7, "tenant_id": "x" """)).GetProperty("quota_set");

        Keys(updated).ShouldBe(Resources, ignoreOrder: true);
        updated.GetProperty("volumes").GetInt32().ShouldBe(4);
        updated.GetProperty("gigabytes").GetInt32().ShouldBe(20);
        var shown = (await GetAsync(server, "os-quota-sets/p2")).GetProperty("quota_set");
        shown.GetProperty("gigabytes___DEFAULT__").GetInt32().ShouldBe(7);
        shown.GetProperty("snapshots").GetInt32().ShouldBe(10);
        (await GetAsync(server, "os-quota-sets/p3")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(10);
    }

    [Theory]
    [InlineData("""{"quota_set": {"volumes": -2}}""", "volumes must be >= -1.")]
    [InlineData("""{"quota_set": {"volumes": "many"}}""", "volumes must be an integer.")]
    [InlineData("""{"quota_set": {"volumes": 1.5}}""", "volumes must be an integer.")]
    [InlineData("""{"quota_set": {"volumes": true}}""", "volumes must be an integer.")]
    [InlineData("""{"quota_set": {"volumes": 2147483648}}""", "volumes must be <= 2147483647.")]
    [InlineData("""{"quota_set": {"colours": 1}}""", "Invalid input received: Bad key(s) in quota set: colours")]
    [InlineData("""{"quota_set": {}}""", "does not have enough properties")]
    [InlineData("""{"quotas": {"volumes": 1}}""", "Additional properties are not allowed ('quotas' was unexpected)")]
    public async Task Update_BadLimits_BadRequestAndNothingChanged(string body, string message)
    {
        await using var server = await QuotaApi.StartAsync();

        (await ErrorAsync(server, HttpMethod.Put, "os-quota-sets/p2", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await GetAsync(server, "os-quota-sets/p2")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task Update_BelowInUse_BadRequestWithCindersMessage()
    {
        await using var server = await QuotaApi.StartAsync();
        await CreateVolumeAsync(server, size: 2);
        await CreateVolumeAsync(server, size: 3);

        (await ErrorAsync(server, HttpMethod.Put, $"os-quota-sets/{Project}", """{"quota_set": {"volumes": 1}}""", HttpStatusCode.BadRequest))
            .ShouldBe("Quota volumes limit must be equal or greater than existing resources. Current usage is 2 and the requested limit is 1.");

        // Equal to the usage, unlimited, and per_volume_gigabytes below a volume's size are all accepted.
        await SetQuotasAsync(server, Project, """ "volumes": 2, "gigabytes": -1, "per_volume_gigabytes": 1 """);
    }

    [Fact]
    public async Task ShowUsage_VolumesAndSnapshots_InUseLimitReservedPerResource()
    {
        await using var server = await QuotaApi.StartAsync();
        var volume = await CreateVolumeAsync(server, size: 2);
        await CreateSnapshotAsync(server, volume);
        await SetQuotasAsync(server, Project, """ "volumes": 5 """);

        var set = (await GetAsync(server, $"os-quota-sets/{Project}?usage=True")).GetProperty("quota_set");

        Keys(set).ShouldBe(["id", .. Resources], ignoreOrder: true);
        foreach (var resource in Resources)
        {
            Keys(set.GetProperty(resource)).ShouldBe(["limit", "in_use", "reserved"], ignoreOrder: true);
        }

        set.GetProperty("volumes").GetProperty("limit").GetInt32().ShouldBe(5);
        set.GetProperty("volumes").GetProperty("in_use").GetInt32().ShouldBe(1);
        set.GetProperty("snapshots").GetProperty("in_use").GetInt32().ShouldBe(1);
        set.GetProperty("gigabytes").GetProperty("in_use").GetInt32().ShouldBe(4); // the volume and its snapshot
        set.GetProperty("gigabytes___DEFAULT__").GetProperty("in_use").GetInt32().ShouldBe(4);
        set.GetProperty("gigabytes").GetProperty("reserved").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task ShowUsage_NotABoolean_BadRequest()
    {
        await using var server = await QuotaApi.StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, $"os-quota-sets/{Project}?usage=maybe", null, HttpStatusCode.BadRequest)).ShouldContain("'maybe' for 'usage' is not a boolean");
    }

    [Fact]
    public async Task Delete_ProjectLimits_BackToDefaultsWithEmpty200()
    {
        await using var server = await QuotaApi.StartAsync();
        await SetQuotasAsync(server, "p2", """ "volumes": 4 """);

        using var response = await SendAsync(server, HttpMethod.Delete, "os-quota-sets/p2");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        (await GetAsync(server, "os-quota-sets/p2")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task Policy_Member_ShowsOwnOnlyAndCannotUpdateOrDelete()
    {
        await using var server = await QuotaApi.StartAsync();
        server.Token = "member";

        (await GetAsync(server, $"os-quota-sets/{Project}")).GetProperty("quota_set").GetProperty("id").GetString().ShouldBe(Project);
        (await GetAsync(server, $"os-quota-sets/{Project}/defaults")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(10);
        await CallAsync(server, HttpMethod.Get, "os-quota-sets/p2", null, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Get, "os-quota-sets/p2?usage=true", null, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Put, $"os-quota-sets/{Project}", """{"quota_set": {"volumes": 100}}""", HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Delete, $"os-quota-sets/{Project}", null, HttpStatusCode.Forbidden);

        server.Token = null;
        (await GetAsync(server, $"os-quota-sets/{Project}")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(10);
    }
}
