using System.Runtime.InteropServices;

namespace Kiln.Drivers.File.Native;

/// <summary>access(2): whether this process may write into a directory, without writing anything.</summary>
internal static partial class Access
{
    private const int WriteOk = 2;

    /// <summary>Null when writable, otherwise the reason (read-only filesystem, permission denied, …).</summary>
    public static string? WhyNotWritable(string path) =>
        CheckAccess(path, WriteOk) == 0 ? null : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int CheckAccess(string path, int mode);
}
