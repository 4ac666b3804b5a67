using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln quota …</c> and <c>kiln message list</c> against a real server.</summary>
public sealed class QuotaAndMessageCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task QuotaSetThenShow_Json_TheLimitsSetForThatProject()
    {
        var project = Names.Unique("tenant");

        var set = (await server.RunAsync("quota", "set", project, "snapshots=7", "gigabytes=-1", "-o", "json")).ShouldSucceedWithJson();
        var shown = (await server.RunAsync("quota", "show", project, "-o", "json")).ShouldSucceedWithJson();

        Limit(set, "snapshots").ShouldBe(7);
        Limit(shown, "snapshots").ShouldBe(7);
        Limit(shown, "gigabytes").ShouldBe(-1);
        shown.EnumerateArray().ShouldAllBe(q => q.GetProperty("in_use").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task QuotaShow_UsageOfOwnProject_CountsAVolume()
    {
        (await server.RunAsync("volume", "create", "--size", "1", "--name", Names.Unique("counted"))).ShouldExitWith(ExitCodes.Ok);

        var shown = (await server.RunAsync("quota", "show", "--usage", "-o", "json")).ShouldSucceedWithJson();

        var volumes = shown.EnumerateArray().Single(q => q.GetProperty("resource").GetString() == "volumes");
        (volumes.GetProperty("in_use").GetInt64() + volumes.GetProperty("reserved").GetInt64()).ShouldBeGreaterThanOrEqualTo(1);
        var table = (await server.RunAsync("quota", "show", "--usage")).ShouldSucceedWithTable();
        table.ShouldContain("In use");
        table.Split('\n').Single(l => l.Contains(" volumes ", StringComparison.Ordinal)).ShouldContain("unlimited", customMessage: "the fixture sets quota_volumes = -1");
    }

    [Fact]
    public async Task QuotaSet_NotANumber_ExitsUsageBeforeAnyRequest()
    {
        (await server.RunAsync("quota", "set", "p", "volumes=many")).ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("volumes=many");
    }

    [Fact]
    public async Task MessageList_AVolumeNoBackendCanTake_ListsItsMessage()
    {
        var type = Names.Unique("nowhere");
        (await server.RunAsync("type", "create", type)).ShouldExitWith(ExitCodes.Ok);
        (await server.RunAsync("type", "set", type, "volume_backend_name=no-such-backend")).ShouldExitWith(ExitCodes.Ok);
        var created = (await server.RunAsync("volume", "create", "--size", "1", "--type", type, "-o", "json")).ShouldSucceedWithJson();
        var id = created.GetProperty("id").GetString();

        var message = (await Poll.UntilAsync(
            async () => (await server.RunAsync("message", "list", "-o", "json")).ShouldSucceedWithJson().EnumerateArray().Where(m => m.GetProperty("resource_uuid").GetString() == id).ToList(),
            found => found.Count == 1,
            TimeSpan.FromSeconds(60),
            found => $"{found.Count} messages for volume {id}, not one",
            TestContext.Current.CancellationToken)).Single();

        message.GetProperty("resource_type").GetString().ShouldBe("VOLUME");
        message.GetProperty("user_message").GetString().ShouldNotBeNullOrWhiteSpace();
        (await server.RunAsync("message", "list")).ShouldSucceedWithTable().ShouldContain(id!);
    }

    private static long Limit(JsonElement quotas, string resource) =>
        quotas.EnumerateArray().Single(q => q.GetProperty("resource").GetString() == resource).GetProperty("limit").GetInt64();
}
