namespace Kiln.Drivers.File;

/// <summary>The on-disk format of a volume file (<c>file_volume_format</c>).</summary>
internal enum VolumeFormat
{
    /// <summary>Bytes as the guest sees them; can be exported over iSCSI.</summary>
    Raw,

    /// <summary>QEMU's copy-on-write format; supports backing chains, attached by opening the file.</summary>
    Qcow2,
}

/// <summary>Names of <see cref="VolumeFormat"/> as qemu-img and file extensions spell them.</summary>
internal static class VolumeFormatNames
{
    public static string Name(this VolumeFormat format) => format == VolumeFormat.Raw ? "raw" : "qcow2";
}
