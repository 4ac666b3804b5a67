using System.Diagnostics;
using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln group …</c> against a real server.</summary>
public sealed class GroupCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task TypeGroupSnapshot_CreateListShowDelete_EachAsTheApiHasIt()
    {
        var typeName = Names.Unique("gtype");
        var groupName = Names.Unique("group");

        var type = (await server.RunAsync("group", "type", "create", typeName, "tier=gold", "--description", "for tests", "-o", "json")).ShouldSucceedWithJson();
        type.GetProperty("group_specs").GetProperty("tier").GetString().ShouldBe("gold");
        (await server.RunAsync("group", "type", "list")).ShouldSucceedWithTable().ShouldContain(typeName);

        // A spec no pool reports keeps the group from being placed, as Cinder's capabilities filter does.
        var unplaced = (await server.RunAsync("group", "create", "--group-type", typeName, "--volume-type", "fast", "--name", groupName + "-x", "-o", "json")).ShouldSucceedWithJson();
        (await WaitForGroupAsync(unplaced.GetProperty("id").GetString()!)).GetProperty("status").GetString().ShouldBe("error");

        var plainType = (await server.RunAsync("group", "type", "create", typeName + "-plain", "-o", "json")).ShouldSucceedWithJson().GetProperty("id").GetString()!;
        var created = (await server.RunAsync("group", "create", "--group-type", plainType, "--volume-type", "fast", "--name", groupName, "-o", "json")).ShouldSucceedWithJson();
        var id = created.GetProperty("id").GetString()!;
        (await WaitForGroupAsync(id)).GetProperty("status").GetString().ShouldBe("available");
        (await server.RunAsync("group", "show", groupName, "-o", "json")).ShouldSucceedWithJson().GetProperty("id").GetString().ShouldBe(id);
        (await server.RunAsync("group", "list")).ShouldSucceedWithTable().ShouldContain(groupName);

        var snapshot = (await server.RunAsync("group", "snapshot", "create", groupName, "--name", "set", "-o", "json")).ShouldSucceedWithJson();
        snapshot.GetProperty("group_id").GetString().ShouldBe(id);
        var snapshotId = snapshot.GetProperty("id").GetString()!;
        (await server.RunAsync("group", "snapshot", "list", "-o", "json")).ShouldSucceedWithJson().EnumerateArray().ShouldContain(s => s.GetProperty("id").GetString() == snapshotId);
        (await server.RunAsync("group", "snapshot", "delete", snapshotId)).ShouldSucceedWithTable().Trim().ShouldBe($"Group snapshot {snapshotId} is being deleted.");
        await WaitGoneAsync("group", "snapshot", "list");

        (await server.RunAsync("group", "delete", id)).ShouldSucceedWithTable().Trim().ShouldBe($"Group {id} is being deleted.");
        (await server.RunAsync("group", "show", "no-such-group")).ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain("no-such-group");

        async Task WaitGoneAsync(params string[] list)
        {
            var started = Stopwatch.GetTimestamp();
            while ((await server.RunAsync([.. list, "-o", "json"])).ShouldSucceedWithJson().EnumerateArray().Any(s => s.GetProperty("id").GetString() == snapshotId))
            {
                Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(20), $"group snapshot {snapshotId} is not deleted");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }

    private async Task<JsonElement> WaitForGroupAsync(string id)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var group = (await server.RunAsync("group", "show", id, "-o", "json")).ShouldSucceedWithJson();
            if (group.GetProperty("status").GetString() != "creating")
            {
                return group;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(20), $"group {id} stays creating");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
