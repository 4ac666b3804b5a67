namespace Kiln.Drivers.File.Tools;

/// <summary>
/// Copies a volume file with <c>cp --reflink=auto --sparse=always</c>: a reflink (no data copied) on
/// filesystems that share extents (btrfs, xfs), otherwise a full copy that keeps holes as holes.
/// </summary>
internal sealed class FileCopier(string executable = "cp")
{
    public Task CopyAsync(string source, string target, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(executable, ["--reflink=auto", "--sparse=always", "--", source, target], cancellationToken);
}
