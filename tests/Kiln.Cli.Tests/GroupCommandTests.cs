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

        var type = (await server.RunAsync("group", "type", "create", typeName, "consistent_group_snapshot_enabled=<is> False", "--description", "for tests", "-o", "json")).ShouldSucceedWithJson();
        type.GetProperty("group_specs").GetProperty("consistent_group_snapshot_enabled").GetString().ShouldBe("<is> False");
        (await server.RunAsync("group", "type", "list")).ShouldSucceedWithTable().ShouldContain(typeName);

        var created = (await server.RunAsync("group", "create", "--group-type", typeName, "--volume-type", "fast", "--name", groupName, "-o", "json")).ShouldSucceedWithJson();
        var id = created.GetProperty("id").GetString()!;
        (await WaitForGroupAsync(id)).GetProperty("status").GetString().ShouldBe("available");
        (await server.RunAsync("group", "show", groupName, "-o", "json")).ShouldSucceedWithJson().GetProperty("id").GetString().ShouldBe(id);
        (await server.RunAsync("group", "list")).ShouldSucceedWithTable().ShouldContain(groupName);

        var snapshot = (await server.RunAsync("group", "snapshot", "create", groupName, "--name", "set", "-o", "json")).ShouldSucceedWithJson();
        snapshot.GetProperty("group_id").GetString().ShouldBe(id);
        var snapshotId = snapshot.GetProperty("id").GetString()!;
        (await server.RunAsync("group", "snapshot", "list", "-o", "json")).ShouldSucceedWithJson().EnumerateArray().ShouldContain(s => s.GetProperty("id").GetString() == snapshotId);
        (await server.RunAsync("group", "snapshot", "delete", snapshotId)).ShouldSucceedWithTable().Trim().ShouldBe($"Group snapshot {snapshotId} is being deleted.");

        // A group with snapshots cannot be deleted: wait until the snapshot is gone.
        var started = Stopwatch.GetTimestamp();
        while ((await server.RunAsync("group", "snapshot", "list", "-o", "json")).ShouldSucceedWithJson().EnumerateArray().Any(s => s.GetProperty("id").GetString() == snapshotId))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(20), $"group snapshot {snapshotId} is not deleted");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        (await server.RunAsync("group", "delete", id)).ShouldSucceedWithTable().Trim().ShouldBe($"Group {id} is being deleted.");
        (await server.RunAsync("group", "show", "no-such-group")).ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain("no-such-group");
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
