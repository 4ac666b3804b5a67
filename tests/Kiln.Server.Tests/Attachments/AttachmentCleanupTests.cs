using Kiln.Core.Attachments;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Persistence;
using Kiln.Server.Tests.Volumes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Attachments;

/// <summary>
/// The start-up cleanup and attachments: every record is kept (the consumer finishes or deletes it, as
/// with Cinder's init_host), and a volume whose status a crash left out of step with its records gets
/// the status its attachments give it.
/// </summary>
public sealed class AttachmentCleanupTests
{
    public static TheoryData<VolumeStatus, AttachStatus?, VolumeStatus> Cases => new()
    {
        // Killed between a reservation's roll-back steps, or a detach's terminated connection and its record's removal.
        { VolumeStatus.Reserved, null, VolumeStatus.Available },
        { VolumeStatus.Attaching, null, VolumeStatus.Available },
        { VolumeStatus.Detaching, null, VolumeStatus.Available },
        { VolumeStatus.InUse, null, VolumeStatus.Available },
        { VolumeStatus.Reserved, AttachStatus.Attaching, VolumeStatus.Attaching },
        { VolumeStatus.Detaching, AttachStatus.Attached, VolumeStatus.InUse },

        // In step: left as they are.
        { VolumeStatus.Reserved, AttachStatus.Reserved, VolumeStatus.Reserved },
        { VolumeStatus.Attaching, AttachStatus.Attaching, VolumeStatus.Attaching },
        { VolumeStatus.InUse, AttachStatus.Attached, VolumeStatus.InUse },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cleanup_VolumeWithAttachStatus_SettledFromItsAttachmentsWhichAreKept(VolumeStatus before, AttachStatus? attachment, VolumeStatus after)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var attachments = database.Services.GetRequiredService<IAttachmentRepository>();
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => null, database.Time, NullLogger<VolumeManager>.Instance);
        var cleaner = new TransitionalResourceCleaner(
            database.Volumes, database.Snapshots, manager, new OrphanVolumeFiles(), NullLogger<TransitionalResourceCleaner>.Instance, attachments);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Available, host: "node@fast#pool"), ct);
        if (attachment is { } status)
        {
            (await attachments.TryAddAsync(
                new VolumeAttachment { Id = "a1", VolumeId = "v1", Status = status, CreatedAt = database.Time.GetUtcNow() }, [VolumeStatus.Available], before, ct)).ShouldBeTrue();
        }
        else
        {
            (await database.Volumes.TryUpdateAsync("v1", [VolumeStatus.Available], v => v with { Status = before }, ct)).ShouldNotBeNull();
        }

        await cleaner.CleanupAsync("node@fast", new ReadyBackend.InstantDriver(), ct);

        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(after);
        (await attachments.ListByVolumeAsync("v1", ct)).Select(a => a.Status).ShouldBe(attachment is { } kept ? [kept] : []);
    }

    [Fact]
    public async Task Cleanup_AnotherBackendsVolume_Untouched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var attachments = database.Services.GetRequiredService<IAttachmentRepository>();
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => null, database.Time, NullLogger<VolumeManager>.Instance);
        var cleaner = new TransitionalResourceCleaner(
            database.Volumes, database.Snapshots, manager, new OrphanVolumeFiles(), NullLogger<TransitionalResourceCleaner>.Instance, attachments);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Reserved, host: "node@slow#pool"), ct);

        await cleaner.CleanupAsync("node@fast", new ReadyBackend.InstantDriver(), ct);

        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Reserved);
    }
}
