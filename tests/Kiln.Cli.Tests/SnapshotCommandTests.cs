using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln snapshot …</c>, and volumes made from snapshots, against a real server.</summary>
public sealed class SnapshotCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    private static readonly string[] SnapshotKeys =
        ["id", "name", "status", "size", "volume_id", "description", "error_reason", "metadata", "created_at", "updated_at"];

    [Fact]
    public async Task Create_WithWaitJson_PrintsAvailableSnapshotOfTheVolume()
    {
        var volume = await CreateVolumeAsync(size: 2);
        var name = Names.Unique("snap");

        var snapshot = (await server.RunAsync("snapshot", "create", volume.Name, "--name", name, "--wait", "-o", "json")).ShouldSucceedWithJson();

        snapshot.EnumerateObject().Select(p => p.Name).ShouldBe(SnapshotKeys);
        snapshot.GetProperty("status").GetString().ShouldBe("available");
        snapshot.GetProperty("volume_id").GetString().ShouldBe(volume.Id);
        snapshot.GetProperty("size").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task List_ByVolume_TableAndJsonShowOnlyItsSnapshots()
    {
        var volume = await CreateVolumeAsync();
        var other = await CreateVolumeAsync();
        var snapshot = await CreateSnapshotAsync(volume.Id);
        await CreateSnapshotAsync(other.Id);

        var list = (await server.RunAsync("snapshot", "list", "--volume", volume.Name, "-o", "json")).ShouldSucceedWithJson();
        var table = (await server.RunAsync("snapshot", "list", "--volume", volume.Id)).ShouldSucceedWithTable();

        list.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ShouldBe([snapshot]);
        table.ShouldContain(snapshot);
        table.ShouldNotContain(other.Id);
        table.ShouldContain("Volume");
    }

    [Fact]
    public async Task VolumeCreate_FromSnapshotName_RestoresItsSize()
    {
        var volume = await CreateVolumeAsync(size: 3);
        var snapshotName = Names.Unique("source");
        await CreateSnapshotAsync(volume.Id, snapshotName);

        var restored = (await server.RunAsync("volume", "create", "--snapshot", snapshotName, "--wait", "-o", "json")).ShouldSucceedWithJson();

        restored.GetProperty("size").GetInt32().ShouldBe(3);
        restored.GetProperty("status").GetString().ShouldBe("available");
        restored.GetProperty("snapshot_id").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task VolumeDelete_VolumeWithSnapshots_ExitsRefusedAndKeepsIt()
    {
        var volume = await CreateVolumeAsync();
        await CreateSnapshotAsync(volume.Id);

        var error = (await server.RunAsync("volume", "delete", volume.Id)).ShouldFailWithOneLine(ExitCodes.Conflict);

        error.ShouldContain("dependent snapshots");
        (await server.RunAsync("volume", "show", volume.Id, "-o", "json")).ShouldSucceedWithJson().GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Delete_WithWait_RemovesTheSnapshot()
    {
        var volume = await CreateVolumeAsync();
        var snapshot = await CreateSnapshotAsync(volume.Id);

        var table = (await server.RunAsync("snapshot", "delete", snapshot, "--wait")).ShouldSucceedWithTable();

        table.Trim().ShouldBe($"Snapshot {snapshot} deleted.");
        (await server.RunAsync("snapshot", "list", "--volume", volume.Id, "-o", "json")).ShouldSucceedWithJson().GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Create_UnknownVolume_ExitsNotFound()
    {
        (await server.RunAsync("snapshot", "create", "no-such-volume")).ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain("no-such-volume");
    }

    [Fact]
    public async Task Delete_UnknownSnapshot_ExitsNotFound()
    {
        (await server.RunAsync("snapshot", "delete", Guid.NewGuid().ToString())).ShouldFailWithOneLine(ExitCodes.NotFound);
    }

    private async Task<(string Id, string Name)> CreateVolumeAsync(int size = 1)
    {
        var name = Names.Unique("vol");
        return (await server.CreateVolumeAsync(name, size), name);
    }

    private Task<string> CreateSnapshotAsync(string volumeId, string? name = null) =>
        server.CreateSnapshotAsync(volumeId, name ?? Names.Unique("snap"));
}
