namespace Kiln.Drivers.File.Iscsi;

/// <summary>Who runs tgtd (<c>tgt_manage</c>).</summary>
internal enum TgtManage
{
    /// <summary>A tgtd answering on the control port is used; when none does, Kiln starts and supervises its own.</summary>
    Auto,

    /// <summary>The system runs tgtd; Kiln never starts or stops one.</summary>
    External,
}
