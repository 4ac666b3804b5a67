using System.Globalization;

namespace Kiln.Drivers.File.Tools;

/// <summary>The qemu-img commands the file driver uses; sizes in bytes, paths absolute.</summary>
internal sealed class QemuImg(string executable)
{
    public string Executable { get; } = executable;

    /// <summary>Runs <c>qemu-img --version</c>: proves the binary starts, not just that it exists.</summary>
    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["--version"], cancellationToken);

    /// <summary>Creates an empty sparse image.</summary>
    public Task CreateAsync(string path, VolumeFormat format, long sizeBytes, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["create", "-q", "-f", format.Name(), path, Bytes(sizeBytes)], cancellationToken);

    /// <summary>
    /// Creates a qcow2 overlay on <paramref name="backingFileName"/>, a name relative to the overlay's
    /// directory so the chain survives moving the whole directory.
    /// </summary>
    public Task CreateOverlayAsync(string path, string backingFileName, long sizeBytes, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(
            Executable, ["create", "-q", "-f", "qcow2", "-b", backingFileName, "-F", "qcow2", path, Bytes(sizeBytes)], cancellationToken);

    /// <summary>Copies an image into a new standalone qcow2 file (no backing file; zeroes stay unallocated).</summary>
    public Task ConvertToQcow2Async(string source, string target, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["convert", "-q", "-f", "qcow2", "-O", "qcow2", source, target], cancellationToken);

    /// <summary>
    /// Copies an image into a new standalone file of <paramref name="targetFormat"/>: a backing chain is
    /// flattened, unallocated parts stay sparse (a migration between backends).
    /// </summary>
    public Task ConvertAsync(string source, VolumeFormat sourceFormat, string target, VolumeFormat targetFormat, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["convert", "-q", "-f", sourceFormat.Name(), "-O", targetFormat.Name(), source, target], cancellationToken);

    /// <summary>Grows an image to <paramref name="sizeBytes"/>.</summary>
    public Task ResizeAsync(string path, VolumeFormat format, long sizeBytes, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["resize", "-q", "-f", format.Name(), path, Bytes(sizeBytes)], cancellationToken);

    /// <summary>
    /// Copies what the backing file provides into the overlay and drops the backing file (safe rebase
    /// onto nothing). qemu-img takes the image's write lock, so a file a running QEMU holds is refused.
    /// </summary>
    public Task FlattenAsync(string path, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Executable, ["rebase", "-q", "-f", "qcow2", "-b", "", path], cancellationToken);

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);
}
