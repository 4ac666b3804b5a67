namespace Kiln.Drivers.File;

/// <summary>One volume or snapshot file of a backend directory.</summary>
internal sealed record VolumeFile(string Path, VolumeFormat Format)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Size as the guest sees it: the length of a raw file, the header's size of a qcow2 one.</summary>
    public long VirtualSize() => Format == VolumeFormat.Raw ? new FileInfo(Path).Length : Qcow2Header.Read(Path).VirtualSize;

    /// <summary>The backing file name of a qcow2 overlay, or null.</summary>
    public string? BackingFile() => Format == VolumeFormat.Qcow2 ? Qcow2Header.Read(Path).BackingFile : null;
}
