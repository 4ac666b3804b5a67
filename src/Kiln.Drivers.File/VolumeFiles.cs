using Kiln.Core.Errors;

namespace Kiln.Drivers.File;

/// <summary>
/// Names and finds a backend's files: <c>volume-&lt;id&gt;.raw|qcow2</c> and <c>snapshot-&lt;id&gt;.raw|qcow2</c>.
/// The files are the only state the driver has, so a restart (or a new driver per re-init) loses nothing.
/// A file being written is named <c>.&lt;name&gt;.part</c> and renamed when complete.
/// </summary>
internal sealed class VolumeFiles(string directory)
{
    public const string VolumePrefix = "volume-";
    public const string SnapshotPrefix = "snapshot-";
    private const string PartSuffix = ".part";

    public string Directory { get; } = directory;

    public string VolumePath(string id, VolumeFormat format) => PathOf(VolumePrefix, id, format);

    public string SnapshotPath(string id, VolumeFormat format) => PathOf(SnapshotPrefix, id, format);

    /// <summary>Lock key of a volume, whatever its format.</summary>
    public string VolumeKey(string id) => System.IO.Path.Combine(Directory, VolumePrefix + Checked(id));

    /// <summary>Lock key of a snapshot, whatever its format.</summary>
    public string SnapshotKey(string id) => System.IO.Path.Combine(Directory, SnapshotPrefix + Checked(id));

    public VolumeFile? FindVolume(string id) => Find(VolumePrefix, id);

    public VolumeFile? FindSnapshot(string id) => Find(SnapshotPrefix, id);

    /// <summary>Lock key of a volume or snapshot file: its path without the format extension.</summary>
    public static string KeyOf(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, System.IO.Path.GetFileNameWithoutExtension(path));

    /// <summary>Lock key of the file a <c>.&lt;name&gt;.part</c> file is becoming.</summary>
    public static string KeyOfPart(string partPath)
    {
        var name = System.IO.Path.GetFileName(partPath);
        return KeyOf(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(partPath)!, name[1..^PartSuffix.Length]));
    }

    /// <summary>Where <paramref name="finalPath"/> is written before it is complete.</summary>
    public static string PartPath(string finalPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(finalPath)!, "." + System.IO.Path.GetFileName(finalPath) + PartSuffix);

    /// <summary>Every volume file (snapshots excluded).</summary>
    public IEnumerable<VolumeFile> Volumes() => Enumerate(VolumePrefix);

    /// <summary>Every snapshot file.</summary>
    public IEnumerable<VolumeFile> Snapshots() => Enumerate(SnapshotPrefix);

    /// <summary>Files left half-written by a crash; nothing refers to them.</summary>
    public IEnumerable<string> PartFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "." + "*" + PartSuffix)
            .Where(path => System.IO.Path.GetFileName(path) is var name && (name.StartsWith("." + VolumePrefix, StringComparison.Ordinal) || name.StartsWith("." + SnapshotPrefix, StringComparison.Ordinal)));

    private VolumeFile? Find(string prefix, string id)
    {
        foreach (var format in (VolumeFormat[])[VolumeFormat.Raw, VolumeFormat.Qcow2])
        {
            var path = PathOf(prefix, id, format);
            if (System.IO.File.Exists(path))
            {
                return new VolumeFile(path, format);
            }
        }

        return null;
    }

    private IEnumerable<VolumeFile> Enumerate(string prefix)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, prefix + "*"))
        {
            var extension = System.IO.Path.GetExtension(path);
            if (extension == ".raw")
            {
                yield return new VolumeFile(path, VolumeFormat.Raw);
            }
            else if (extension == ".qcow2")
            {
                yield return new VolumeFile(path, VolumeFormat.Qcow2);
            }
        }
    }

    private string PathOf(string prefix, string id, VolumeFormat format) =>
        System.IO.Path.Combine(Directory, $"{prefix}{Checked(id)}.{format.Name()}");

    // Ids become file names: anything that could leave the directory or hide a file is refused.
    private static string Checked(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new DriverException($"'{id}' cannot be used as a file name: expected letters, digits, '-' and '_' only");
        }

        return id;
    }
}
