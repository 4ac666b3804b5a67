using System.Net;
using static Kiln.Server.Tests.Api.QuotaApi;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class QuotaClassSetsEndpointsTests
{
    [Fact]
    public async Task Show_DefaultClass_ConfiguredDefaultsWithClassNameAsId()
    {
        await using var server = await QuotaApi.StartAsync("quota_snapshots = 4");

        var set = (await GetAsync(server, "os-quota-class-sets/default")).GetProperty("quota_class_set");

        Keys(set).ShouldBe(["id", .. Resources], ignoreOrder: true);
        set.GetProperty("id").GetString().ShouldBe("default");
        set.GetProperty("snapshots").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Update_DefaultClass_BecomesEveryProjectsDefaultUnlessTheProjectSetsItsOwn()
    {
        await using var server = await QuotaApi.StartAsync("quota_volumes = 3");
        await SetQuotasAsync(server, "p3", """ "volumes": 8 """);

        var updated = (await CallAsync(server, HttpMethod.Put, "os-quota-class-sets/default", """{"quota_class_set": {"volumes": 1, "groups": 2}}""", HttpStatusCode.OK))
            .GetProperty("quota_class_set");

        Keys(updated).ShouldBe(Resources, ignoreOrder: true);
        updated.GetProperty("volumes").GetInt32().ShouldBe(1);
        (await GetAsync(server, "os-quota-sets/p2/defaults")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(1);
        (await GetAsync(server, "os-quota-sets/p2")).GetProperty("quota_set").GetProperty("groups").GetInt32().ShouldBe(2);
        (await GetAsync(server, "os-quota-sets/p3")).GetProperty("quota_set").GetProperty("volumes").GetInt32().ShouldBe(8);
        await CreateVolumeAsync(server);
        (await OverLimitAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""")).ShouldContain("(1) exceeded for quota 'volumes'");
    }

    [Theory]
    [InlineData("""{"quota_class_set": {"volumes": -2}}""", "volumes must be >= -1.")]
    [InlineData("""{"quota_class_set": {"volumes": "x"}}""", "volumes must be an integer.")]
    [InlineData("""{"quota_class_set": {"colours": 1}}""", "Bad key(s) in quota class set: colours")]
    public async Task Update_BadBody_BadRequest(string body, string message)
    {
        await using var server = await QuotaApi.StartAsync();

        (await ErrorAsync(server, HttpMethod.Put, "os-quota-class-sets/default", body, HttpStatusCode.BadRequest)).ShouldContain(message);
    }

    [Fact]
    public async Task ShowAndUpdate_Member_Forbidden()
    {
        await using var server = await QuotaApi.StartAsync();
        server.Token = "member";

        await CallAsync(server, HttpMethod.Get, "os-quota-class-sets/default", null, HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Put, "os-quota-class-sets/default", """{"quota_class_set": {"volumes": 100}}""", HttpStatusCode.Forbidden);
    }
}
