using System.Diagnostics;
using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln volume …</c> against a real server.</summary>
public sealed class VolumeCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    private static readonly string[] VolumeKeys =
    [
        "id", "name", "status", "size", "volume_type", "host", "availability_zone", "description", "snapshot_id",
        "source_volid", "error_reason", "metadata", "created_at", "updated_at", "attachments",
    ];

    [Fact]
    public async Task Create_WithWaitTable_ShowsAvailableVolumeOnItsHost()
    {
        var name = Names.Unique("vol");

        var table = (await server.RunAsync("volume", "create", "--size", "1", "--type", "fast", "--name", name, "--wait")).ShouldSucceedWithTable();

        table.ShouldContain(name);
        RowOf(table, "status").ShouldContain("available");
        RowOf(table, "host").ShouldContain($"{KilnServerFixture.Host}@fast#fast");
        RowOf(table, "type").ShouldContain("fast");
    }

    [Fact]
    public async Task Create_WithWaitJson_PrintsOneStableObject()
    {
        var name = Names.Unique("vol");

        var volume = (await server.RunAsync("volume", "create", "--size", "2", "--type", "fast", "--name", name, "--wait", "-o", "json")).ShouldSucceedWithJson();

        volume.EnumerateObject().Select(p => p.Name).ShouldBe(VolumeKeys);
        volume.GetProperty("name").GetString().ShouldBe(name);
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("size").GetInt32().ShouldBe(2);
        volume.GetProperty("volume_type").GetString().ShouldBe("fast");
        volume.GetProperty("host").GetString().ShouldBe($"{KilnServerFixture.Host}@fast#fast");
        volume.GetProperty("error_reason").ValueKind.ShouldBe(JsonValueKind.Null);
        volume.GetProperty("created_at").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$");
    }

    [Fact]
    public async Task Create_WithoutWait_ReturnsAtOnceInCreating()
    {
        // The stuck backend never finishes an operation, so only a command that does not wait can return.
        var volume = (await server.RunAsync("volume", "create", "--size", "1", "--type", "stuck", "-o", "json")).ShouldSucceedWithJson();

        volume.GetProperty("status").GetString().ShouldBe("creating");
    }

    [Fact]
    public async Task List_JsonAndTable_ShowTheProjectsVolumes()
    {
        var id = await CreateAsync(Names.Unique("listed"));

        var list = (await server.RunAsync("volume", "list", "-o", "json")).ShouldSucceedWithJson();
        var table = (await server.RunAsync("volume", "list")).ShouldSucceedWithTable();

        list.ValueKind.ShouldBe(JsonValueKind.Array);
        var listed = list.EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);
        listed.EnumerateObject().Select(p => p.Name).ShouldBe(VolumeKeys);
        var header = table.Split('\n').First(l => l.Contains("ID", StringComparison.Ordinal));
        foreach (var column in new[] { "ID", "Name", "Status", "Size (GB)", "Type", "Host" })
        {
            header.ShouldContain(column);
        }

        var row = table.Split('\n').Single(l => l.Contains(id, StringComparison.Ordinal));
        row.ShouldContain("available");
        row.ShouldContain($"{KilnServerFixture.Host}@fast#fast");
    }

    [Fact]
    public async Task List_StatusFilter_OnlyMatchingVolumes()
    {
        var id = await CreateAsync(Names.Unique("filtered"));

        var creating = (await server.RunAsync("volume", "list", "--status", "creating", "-o", "json")).ShouldSucceedWithJson();

        creating.EnumerateArray().ShouldAllBe(v => v.GetProperty("status").GetString() == "creating");
        creating.EnumerateArray().ShouldNotContain(v => v.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task List_AllProjects_IncludesOtherProjectsVolumes()
    {
        var id = await CreateAsync(Names.Unique("elsewhere"));

        var own = (await server.RunAsync("volume", "list", "--project", "someone-else", "-o", "json")).ShouldSucceedWithJson();
        var all = (await server.RunAsync("volume", "list", "--project", "someone-else", "--all-projects", "-o", "json")).ShouldSucceedWithJson();

        own.EnumerateArray().ShouldNotContain(v => v.GetProperty("id").GetString() == id);
        all.EnumerateArray().ShouldContain(v => v.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Show_ByNameOrId_ResolvesTheSameVolume()
    {
        var name = Names.Unique("shown");
        var id = await CreateAsync(name);

        var byName = (await server.RunAsync("volume", "show", name, "-o", "json")).ShouldSucceedWithJson();
        var byId = (await server.RunAsync("volume", "show", id)).ShouldSucceedWithTable();

        byName.GetProperty("id").GetString().ShouldBe(id);
        RowOf(byId, "name").ShouldContain(name);
    }

    [Fact]
    public async Task Show_AttachedVolume_ListsItsAttachments()
    {
        var name = Names.Unique("attached");
        var id = await CreateAsync(name);
        var serverId = Guid.NewGuid().ToString();
        await server.AttachAsync(id, serverId);

        var table = (await server.RunAsync("volume", "show", id)).ShouldSucceedWithTable();
        var json = (await server.RunAsync("volume", "show", id, "-o", "json")).ShouldSucceedWithJson();

        RowOf(table, "status").ShouldContain("in-use");
        table.ShouldContain(serverId);
        var attachment = json.GetProperty("attachments").EnumerateArray().ShouldHaveSingleItem();
        attachment.GetProperty("server_id").GetString().ShouldBe(serverId);
        attachment.GetProperty("device").GetString().ShouldBe("/dev/vdb");
    }

    [Fact]
    public async Task Show_AmbiguousName_ExitsConflictNamingBothIds()
    {
        var name = Names.Unique("twin");
        var first = await CreateAsync(name);
        var second = await CreateAsync(name);

        var error = (await server.RunAsync("volume", "show", name)).ShouldFailWithOneLine(ExitCodes.Conflict);

        error.ShouldContain($"2 volumes are named '{name}'");
        error.ShouldContain(first);
        error.ShouldContain(second);
    }

    [Theory]
    [InlineData("no-such-volume")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task Show_Unknown_ExitsNotFound(string idOrName)
    {
        var result = await server.RunAsync("volume", "show", idOrName, "-o", "json");

        result.ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain(idOrName);
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Extend_WithWait_GrowsTheVolume()
    {
        var name = Names.Unique("grown");
        await CreateAsync(name);

        var volume = (await server.RunAsync("volume", "extend", name, "3", "--wait", "-o", "json")).ShouldSucceedWithJson();

        volume.GetProperty("size").GetInt32().ShouldBe(3);
        volume.GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Extend_ToASmallerSize_ExitsRefusedWithTheServersReason()
    {
        var id = await CreateAsync(Names.Unique("shrunk"), size: 2);

        var error = (await server.RunAsync("volume", "extend", id, "1")).ShouldFailWithOneLine(ExitCodes.Conflict);

        error.ShouldContain("New size for extend must be greater than current size");
    }

    [Fact]
    public async Task Delete_WithWait_WaitsUntilTheVolumeIsGone()
    {
        var id = await CreateAsync(Names.Unique("deleted"));

        var deletion = (await server.RunAsync("volume", "delete", id, "--wait", "-o", "json")).ShouldSucceedWithJson();

        deletion.GetProperty("id").GetString().ShouldBe(id);
        deletion.GetProperty("status").GetString().ShouldBe("deleted");
        (await server.RunAsync("volume", "show", id)).ShouldFailWithOneLine(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Delete_WithoutWait_SaysTheDeleteIsUnderWay()
    {
        var id = await CreateAsync(Names.Unique("deleting"));

        var table = (await server.RunAsync("volume", "delete", id)).ShouldSucceedWithTable();

        table.Trim().ShouldBe($"Volume {id} is being deleted.");
    }

    [Fact]
    public async Task Create_NoBackendCanTakeIt_ExitsErrorStatusWithTheReason()
    {
        var result = await server.RunAsync("volume", "create", "--size", "1", "--type", "broken", "--wait", "-o", "json");

        var error = result.ShouldFailWithOneLine(ExitCodes.ErrorStatus);
        error.ShouldContain("ended in error");
        error.ShouldContain($"{KilnServerFixture.Host}@broken#broken: unrecoverable");
        var volume = result.Json();
        volume.GetProperty("status").GetString().ShouldBe("error");
        volume.GetProperty("error_reason").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Create_BackendNeverFinishes_WaitTimesOutAfterTheTimeout()
    {
        var started = Stopwatch.GetTimestamp();

        var result = await server.RunAsync("volume", "create", "--size", "1", "--type", "stuck", "--wait", "--timeout", "1", "-o", "json");

        var error = result.ShouldFailWithOneLine(ExitCodes.Timeout);
        error.ShouldContain("timed out after 1 s");
        error.ShouldContain("still creating");
        result.Json().GetProperty("status").GetString().ShouldBe("creating");
        Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Create_WithoutSizeOrSource_ExitsUsage()
    {
        var error = (await server.RunAsync("volume", "create", "--name", "x")).ShouldFailWithOneLine(ExitCodes.Usage);

        error.ShouldContain("--size");
    }

    private Task<string> CreateAsync(string name, int size = 1) => server.CreateVolumeAsync(name, size);

    /// <summary>The line of a field/value table for <paramref name="field"/>.</summary>
    private static string RowOf(string table, string field) =>
        table.Split('\n').Single(l => l.TrimStart('|', ' ').StartsWith(field + " ", StringComparison.Ordinal));
}
