using Kiln.Core.Volumes;
using Kiln.Server.Quotas;

namespace Kiln.Server.Volumes;

/// <summary>The conditional write that claims a volume for a migration between backends.</summary>
public interface IVolumeMigrations
{
    /// <summary>
    /// Moves the volume to <paramref name="claimStatus"/> (<c>retyping</c> or <c>maintenance</c>) with migration
    /// status <c>migrating</c>, only while its status, type and host are still <paramref name="read"/>'s, it has
    /// no snapshots, is in no group and is not migrating already; for a retype (<paramref name="charges"/> not
    /// null) after taking the project's quota lock and checking the new type's resources. One transaction.
    /// </summary>
    Task<(Volume? Claimed, QuotaDenial? Denial)> TryBeginAsync(
        Volume read, VolumeStatus claimStatus, string? newTypeId, IReadOnlyList<QuotaCharge>? charges, QuotaCheck? check, CancellationToken cancellationToken);
}
