using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Groups;
using Kiln.Server.Messaging;
using Kiln.Server.Scheduling;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

/// <summary>Groups and group snapshots left transitional by an earlier run end in a final status when their backend initializes.</summary>
public sealed class GroupCleanupTests
{
    [Fact]
    public async Task BackendInit_GroupAndGroupSnapshotLeftCreating_Error()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType);
        var groupSnapshot = await CreateGroupSnapshotAsync(server, group);
        var repository = server.Service<IGroupRepository>();

        // As a crash would leave them: statuses the worker never finished.
        (await repository.TryUpdateSnapshotAsync(groupSnapshot, [GroupStatus.Available], s => s with { Status = GroupStatus.Creating }, TestContext.Current.CancellationToken)).ShouldNotBeNull();
        (await repository.TryUpdateAsync(group, [GroupStatus.Available], g => g with { Status = GroupStatus.Creating }, TestContext.Current.CancellationToken)).ShouldNotBeNull();

        await ReinitFastWithAsync(server, "{}", BackendState.Ready);

        var cleanedGroup = (await GetGroupAsync(server, $"groups/{group}")).GetProperty("group");
        cleanedGroup.GetProperty("status").GetString().ShouldBe("error");
        (await GetGroupAsync(server, $"group_snapshots/{groupSnapshot}")).GetProperty("group_snapshot").GetProperty("status").GetString().ShouldBe("error");
        server.KilnExtensions = true;
        (await GetGroupAsync(server, $"groups/{group}")).GetProperty("group").GetProperty("error_reason").GetString()!.ShouldContain("interrupted");
    }

    [Fact]
    public async Task BackendInit_GroupLeftDeletingWithoutVolumes_Removed()
    {
        await using var server = await StartAsync();
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), await CreateVolumeTypeAsync(server));
        var repository = server.Service<IGroupRepository>();
        (await repository.TryUpdateAsync(group, [GroupStatus.Available], g => g with { Status = GroupStatus.Deleting }, TestContext.Current.CancellationToken)).ShouldNotBeNull();

        await ReinitFastWithAsync(server, "{}", BackendState.Ready);

        await ErrorAsync(server, HttpMethod.Get, $"groups/{group}", null, HttpStatusCode.NotFound, GroupVersion);
    }

    [Fact]
    public async Task StartUpStep_UnscheduledGroupCreating_Error()
    {
        await using var server = await StartAsync();
        var repository = server.Service<IGroupRepository>();
        var groupType = await CreateGroupTypeAsync(server);
        var orphan = new Group
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = Project,
            Status = GroupStatus.Creating,
            AvailabilityZone = "nova",
            GroupTypeId = groupType,
            CreatedAt = server.Time.GetUtcNow(),
        };
        var unlimited = new Kiln.Server.Quotas.QuotaCheck(new Kiln.Server.Quotas.QuotaLimits(new Dictionary<string, int>()), new Dictionary<string, string>(), NoSnapshotGigabytes: false);
        (await repository.AddAsync(orphan, unlimited, TestContext.Current.CancellationToken)).ShouldBeNull();

        // The step the database start-up runs: with in-process messaging the placement request died with the process.
        await new InterruptedGroupSchedulingStep(server.Service<IMessageBus>(), repository).RunAsync(TestContext.Current.CancellationToken);

        (await repository.FindAsync(orphan.Id, TestContext.Current.CancellationToken))!.Status.ShouldBe(GroupStatus.Error);
    }
}
