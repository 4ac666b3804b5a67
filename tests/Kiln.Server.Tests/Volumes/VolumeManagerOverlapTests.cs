using Kiln.Core.Volumes;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// An operation's final status is committed a moment before the manager lets go of the volume. A
/// client that sees the new status at once and sends the next request must not have it dropped as
/// a duplicate delivery of the first: that left volumes in <c>deleting</c> for good under load.
/// </summary>
public sealed class VolumeManagerOverlapTests
{
    [Fact]
    public async Task Delete_ArrivesWhileCreateIsFinishing_IsCarriedOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var volumes = new HeldAfterUpdate(database.Volumes);
        var manager = new VolumeManager(volumes, database.Snapshots, _ => null, TimeProvider.System, NullLogger<VolumeManager>.Instance);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: null), TestContext.Current.CancellationToken);

        // Not placed, so the create ends in error: its final update is committed, then held.
        var create = manager.CreateVolumeAsync("v1", TestContext.Current.CancellationToken);
        await volumes.Updated.WaitAsync(TestContext.Current.CancellationToken);
        (await database.Volumes.FindAsync("v1", TestContext.Current.CancellationToken))!.Status.ShouldBe(VolumeStatus.Error);
        manager.IsInFlight("v1").ShouldBeTrue();

        // What the API does on DELETE, then the volume role's message.
        await database.Volumes.TryUpdateAsync("v1", [VolumeStatus.Error], v => v with { Status = VolumeStatus.Deleting }, TestContext.Current.CancellationToken);
        await manager.DeleteVolumeAsync("v1", TestContext.Current.CancellationToken);

        (await database.Volumes.FindAsync("v1", TestContext.Current.CancellationToken)).ShouldBeNull();
        volumes.Release();
        await create;
        manager.IsInFlight("v1").ShouldBeFalse();
    }

    [Fact]
    public async Task SameRequest_DeliveredTwiceWhileRunning_SecondIsIgnored()
    {
        await using var database = await TestDatabase.CreateAsync();
        var volumes = new HeldAfterUpdate(database.Volumes);
        var manager = new VolumeManager(volumes, database.Snapshots, _ => null, TimeProvider.System, NullLogger<VolumeManager>.Instance);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: null), TestContext.Current.CancellationToken);

        var first = manager.CreateVolumeAsync("v1", TestContext.Current.CancellationToken);
        await volumes.Updated.WaitAsync(TestContext.Current.CancellationToken);

        // The second delivery returns without touching the volume (the held update would block it).
        await manager.CreateVolumeAsync("v1", TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        volumes.Updates.ShouldBe(1);

        volumes.Release();
        await first;
    }

    /// <summary>Commits each conditional update, then holds the caller until released (the first time only).</summary>
    private sealed class HeldAfterUpdate(IVolumeRepository inner) : IVolumeRepository
    {
        private readonly TaskCompletionSource updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int updates;

        public Task Updated => updated.Task;

        public int Updates => Volatile.Read(ref updates);

        public void Release() => released.TrySetResult();

        public async Task<Volume?> TryUpdateAsync(string id, IReadOnlyCollection<VolumeStatus> expected, Func<Volume, Volume> change, CancellationToken cancellationToken) =>
            await HoldFirstAsync(await inner.TryUpdateAsync(id, expected, change, cancellationToken), cancellationToken);

        public async Task<Volume?> TryUpdateAsync(Volume read, Func<Volume, Volume> change, CancellationToken cancellationToken) =>
            await HoldFirstAsync(await inner.TryUpdateAsync(read, change, cancellationToken), cancellationToken);

        private async Task<Volume?> HoldFirstAsync(Volume? result, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref updates) == 1)
            {
                updated.TrySetResult();
                await released.Task.WaitAsync(cancellationToken);
            }

            return result;
        }

        public Task AddAsync(Volume volume, CancellationToken cancellationToken) => inner.AddAsync(volume, cancellationToken);

        public Task<Volume?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

        public Task<bool> TryRemoveAsync(string id, VolumeStatus expected, CancellationToken cancellationToken) => inner.TryRemoveAsync(id, expected, cancellationToken);

        public Task<DeleteClaim<Volume>> TryBeginDeleteAsync(string id, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken) =>
            inner.TryBeginDeleteAsync(id, expected, cancellationToken);

        public Task<IReadOnlyList<Volume>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken) => inner.ListByBackendAsync(backendHost, cancellationToken);

        public Task<IReadOnlyList<Volume>> ListUnscheduledAsync(VolumeStatus status, CancellationToken cancellationToken) => inner.ListUnscheduledAsync(status, cancellationToken);

        public Task<int> CountByTypeAsync(string volumeTypeId, CancellationToken cancellationToken) => inner.CountByTypeAsync(volumeTypeId, cancellationToken);

        public Task<ListPage<Volume>> QueryAsync(ListQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);
    }
}
