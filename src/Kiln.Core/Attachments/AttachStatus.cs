using Kiln.Core.Volumes;

namespace Kiln.Core.Attachments;

/// <summary>Cinder's <c>attach_status</c> of an attachment (and of its volume), with wire names.</summary>
public enum AttachStatus
{
    Attached,
    Attaching,
    Detached,
    Detaching,
    ErrorAttaching,
    ErrorDetaching,
    Reserved,
}

/// <summary>Wire names of <see cref="AttachStatus"/>, and the volume status the attachments of a volume imply.</summary>
public static class AttachStatusNames
{
    public static string ToWireName(this AttachStatus status) => status switch
    {
        AttachStatus.Attached => "attached",
        AttachStatus.Attaching => "attaching",
        AttachStatus.Detached => "detached",
        AttachStatus.Detaching => "detaching",
        AttachStatus.ErrorAttaching => "error_attaching",
        AttachStatus.ErrorDetaching => "error_detaching",
        AttachStatus.Reserved => "reserved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? text, out AttachStatus status)
    {
        foreach (var candidate in Enum.GetValues<AttachStatus>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>
    /// Cinder's <c>_get_statuses_from_attachments</c>: the volume's attach_status is the first of its
    /// attachments' statuses in alphabetical order, errors ignored (attached, attaching, detaching,
    /// reserved), or detached when none is left; its status follows (attached is in-use, detached is
    /// available, the others have the same name).
    /// </summary>
    public static (VolumeStatus Status, AttachStatus AttachStatus) ForVolume(IEnumerable<VolumeAttachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        var first = attachments
            .Select(a => a.Status)
            .Where(s => s is not (AttachStatus.ErrorAttaching or AttachStatus.ErrorDetaching))
            .Select(s => s.ToWireName())
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        var attachStatus = first is not null && TryParse(first, out var parsed) ? parsed : AttachStatus.Detached;
        var status = attachStatus switch
        {
            AttachStatus.Attached => VolumeStatus.InUse,
            AttachStatus.Attaching => VolumeStatus.Attaching,
            AttachStatus.Detaching => VolumeStatus.Detaching,
            AttachStatus.Reserved => VolumeStatus.Reserved,
            _ => VolumeStatus.Available,
        };
        return (status, attachStatus);
    }
}
