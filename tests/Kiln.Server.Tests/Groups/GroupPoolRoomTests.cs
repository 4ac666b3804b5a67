using Kiln.Core.Volumes;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

/// <summary>
/// A group's placement checks its pool's room in the database, as a volume's does: volumes another node
/// placed (written straight to the database here, so this process's in-memory count never saw them) fill
/// the pool, and a group is not placed where none of its volumes could go.
/// </summary>
public sealed class GroupPoolRoomTests
{
    [Fact]
    public async Task CreateGroup_PoolFullInTheDatabase_ErrorNamingTheRoom_PlacedOnceThereIsRoom()
    {
        await using var server = await VolumeApi.StartAsync(moreSections: "fault_capacity_gb = 2");
        var volumeType = await CreateVolumeTypeAsync(server);
        var groupType = await CreateGroupTypeAsync(server);
        var repository = server.Service<IVolumeRepository>();
        string[] others = ["other-node-1", "other-node-2"];
        foreach (var id in others)
        {
            await repository.AddAsync(
                new Volume { Id = id, ProjectId = Project, SizeGb = 1, Status = VolumeStatus.Available, AvailabilityZone = "nova", Host = "node@fast#fast", CreatedAt = server.Time.GetUtcNow() },
                TestContext.Current.CancellationToken);
        }

        var full = (await CallAsync(server, HttpMethod.Post, "groups", Body(groupType, volumeType), System.Net.HttpStatusCode.Accepted, GroupVersion)).GetProperty("group").GetProperty("id").GetString()!;
        await WaitForGroupAsync(server, $"groups/{full}", "group", "error");

        (await repository.TryRemoveAsync(others[0], VolumeStatus.Available, TestContext.Current.CancellationToken)).ShouldBeTrue();
        var placed = (await CallAsync(server, HttpMethod.Post, "groups", Body(groupType, volumeType), System.Net.HttpStatusCode.Accepted, GroupVersion)).GetProperty("group").GetProperty("id").GetString()!;
        await WaitForGroupAsync(server, $"groups/{placed}", "group", "available");
    }

    private static string Body(string groupType, string volumeType) =>
        System.Text.Json.JsonSerializer.Serialize(new { group = new { name = "g", group_type = groupType, volume_types = new[] { volumeType } } });
}
