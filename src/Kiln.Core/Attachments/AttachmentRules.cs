using Kiln.Core.Volumes;

namespace Kiln.Core.Attachments;

/// <summary>
/// What Cinder refuses a volume because of its attachments, in one place so every operation asks the
/// same question: the API of each operation (delete, extend, retype, transfer, snapshot, new
/// attachments) calls the predicate that names it and answers 400 with the message returned.
/// </summary>
public static class AttachmentRules
{
    /// <summary>The extra spec that makes a type's volumes multiattach, and Cinder's value for "yes".</summary>
    public const string MultiattachSpec = "multiattach";

    private const string MultiattachTrue = "<is> True";

    /// <summary>Cinder's <c>VolumeType.is_multiattach</c>: the spec is <c>&lt;is&gt; True</c>, ignoring case.</summary>
    public static bool IsMultiattach(VolumeType? type) =>
        type?.ExtraSpecs.GetValueOrDefault(MultiattachSpec) is { } spec && string.Equals(spec, MultiattachTrue, StringComparison.OrdinalIgnoreCase);

    /// <summary>Statuses in which a volume has, or is getting or losing, an attachment.</summary>
    public static bool IsAttachStatus(VolumeStatus status) =>
        status is VolumeStatus.Reserved or VolumeStatus.Attaching or VolumeStatus.InUse or VolumeStatus.Detaching;

    /// <summary>
    /// Statuses from which <c>POST /attachments</c> may reserve the volume (Cinder's
    /// <c>_attachment_reserve</c>): available (or downloading), and in-use too for a multiattach volume.
    /// </summary>
    public static IReadOnlyList<VolumeStatus> Reservable(bool multiattach) =>
        multiattach ? [VolumeStatus.Available, VolumeStatus.InUse, VolumeStatus.Downloading] : [VolumeStatus.Available, VolumeStatus.Downloading];

    /// <summary>Statuses from which legacy <c>os-reserve</c> may reserve (Cinder's <c>reserve_volume</c>).</summary>
    public static IReadOnlyList<VolumeStatus> LegacyReservable(bool multiattach) =>
        multiattach ? [VolumeStatus.Available, VolumeStatus.InUse] : [VolumeStatus.Available];

    /// <summary>Cinder's <c>build_or_str</c>: <c>available or in-use</c>.</summary>
    public static string OrList(IEnumerable<VolumeStatus> statuses) => string.Join(" or ", statuses.Select(s => s.ToWireName()));

    /// <summary>
    /// Retype (Cinder's <c>retype</c>): only available or in-use volumes, and a retype that changes
    /// whether the volume is multiattach only while it is available. Null when allowed.
    /// </summary>
    public static string? RefuseRetype(Volume volume, bool fromMultiattach, bool toMultiattach)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (fromMultiattach != toMultiattach && volume.Status != VolumeStatus.Available)
        {
            return $"Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes, the specified volume however currently has a status of: {volume.Status.ToWireName()}.";
        }

        return volume.Status is VolumeStatus.Available or VolumeStatus.InUse
            ? null
            : "Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.";
    }

    /// <summary>Volume transfer (Cinder's <c>transfer.api.create</c>): only available volumes. Null when allowed.</summary>
    public static string? RefuseTransfer(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Status == VolumeStatus.Available ? null : "Invalid volume: status must be available";
    }

    /// <summary>
    /// Extend: available only, except in-use from 3.42 (<paramref name="inUseAllowed"/>) as in Cinder,
    /// where the caller also checks <c>volume:extend_attached_volume</c>. Null when allowed.
    /// </summary>
    public static string? RefuseExtend(Volume volume, bool inUseAllowed)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Status == VolumeStatus.Available || (inUseAllowed && volume.Status == VolumeStatus.InUse)
            ? null
            : $"Invalid volume: Volume status must be {(inUseAllowed ? "'available' or 'in-use'" : "'available'")} to extend, but it is '{volume.Status.ToWireName()}'.";
    }

    /// <summary>
    /// Snapshot (Cinder's <c>_create_snapshot</c>): available, or in-use when <paramref name="force"/>d
    /// (from 3.66 the API passes force for every request, as Cinder's <c>allow_in_use</c>). Null when allowed.
    /// </summary>
    public static string? RefuseSnapshot(Volume volume, bool force)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status == VolumeStatus.Available || (force && volume.Status == VolumeStatus.InUse))
        {
            return null;
        }

        return $"Invalid volume: Volume {volume.Id} status must be {(force ? "available or in-use" : "available")}, but current status is: {volume.Status.ToWireName()}.";
    }

    /// <summary>Delete (also the admin's force delete): never while attached (Cinder's <c>attach_status != attached</c>). Null when allowed.</summary>
    public static string? RefuseDelete(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Status is VolumeStatus.InUse or VolumeStatus.Detaching
            ? $"Invalid volume: Volume {volume.Id} must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."
            : null;
    }
}
