using Kiln.Core.Volumes;
using Kiln.Server.Quotas;

namespace Kiln.Server.Volumes;

/// <summary>The conditional write of a retype in place.</summary>
public interface IVolumeRetypes
{
    /// <summary>
    /// Sets the volume's type to <paramref name="newTypeId"/> only while its status and type are still
    /// <paramref name="read"/>'s, after taking the project's quota lock and checking <paramref name="charges"/>
    /// (the new type's per-type resources); one transaction. The per-type usage of the old type drops in
    /// the same commit, since usage is counted from the rows.
    /// </summary>
    Task<(Volume? Retyped, QuotaDenial? Denial)> TryRetypeAsync(Volume read, string newTypeId, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken);
}
