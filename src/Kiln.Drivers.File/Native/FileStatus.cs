using System.Runtime.InteropServices;

namespace Kiln.Drivers.File.Native;

/// <summary>
/// What statx(2) says about a path: blocks really allocated (sparse files report far less than their
/// length) and which mount it lives on. .NET has no managed API for either.
/// </summary>
internal readonly partial record struct FileStatus(long AllocatedBytes, ulong Device, ulong MountId, bool IsMountRoot)
{
    /// <summary>Status of <paramref name="path"/> (symlinks followed), or null when it does not exist.</summary>
    public static FileStatus? Of(string path)
    {
        const uint basicStatsAndMountId = 0x07ffu | 0x1000u;
        if (Statx(AtFdCwd, path, 0, basicStatsAndMountId, out var data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENoEnt or ENotDir ? null : throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        var mountIdKnown = (data.Mask & 0x1000u) != 0;
        var mountRootKnown = (data.AttributesMask & MountRootAttribute) != 0;
        return new FileStatus(
            checked((long)data.Blocks * 512),
            ((ulong)data.DevMajor << 32) | data.DevMinor,
            mountIdKnown ? data.MountId : 0,
            mountRootKnown && (data.Attributes & MountRootAttribute) != 0);
    }

    private const int AtFdCwd = -100;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const ulong MountRootAttribute = 0x2000;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxData data);

    // struct statx from linux/stat.h; its layout is the same on every architecture. 256 bytes.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxData
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        public ushort Spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public Timestamp AccessTime;
        public Timestamp BirthTime;
        public Timestamp ChangeTime;
        public Timestamp ModifyTime;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;
        public ulong MountId;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;
    }
}
