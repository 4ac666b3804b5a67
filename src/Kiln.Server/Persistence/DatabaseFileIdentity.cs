using Microsoft.Win32.SafeHandles;

namespace Kiln.Server.Persistence;

/// <summary>
/// Refuses commits into a SQLite file that is no longer the one at its path. SQLite goes on writing an open
/// file after it is unlinked (deleted, or replaced by a restore): every write answered after that went into
/// a file nobody could open again, and after a restart the volumes it described were gone.
/// <para>
/// The file is opened once, read-only, and kept open: Linux shows an open file that was unlinked as
/// <c>/proc/self/fd/N -&gt; PATH (deleted)</c>, so one <c>readlink</c> per commit (about a microsecond) tells
/// whether the path still names the file Kiln started on, whatever SQLite's pool has opened or closed since.
/// Holding a descriptor of its own is safe for SQLite's locks as long as it is closed only when nothing uses
/// the database any more (closing any descriptor of a file drops the process's POSIX locks on it): at disposal.
/// </para>
/// </summary>
internal sealed class DatabaseFileIdentity(string path) : IDisposable
{
    private readonly Lock gate = new();
    private SafeFileHandle? handle;
    private string? link;

    // What the descriptor named when it was opened: the real path, symbolic links resolved.
    private string? opened;

    /// <summary>Throws <see cref="DatabaseFileLostException"/> when the database file was deleted or replaced.</summary>
    public void ThrowIfLost()
    {
        if (Lost() is { } how)
        {
            throw new DatabaseFileLostException(path, how);
        }
    }

    /// <summary><c>deleted</c> or <c>replaced</c> when the path no longer names the file first seen there; otherwise null.</summary>
    public string? Lost()
    {
        lock (gate)
        {
            if (link is null && !Open())
            {
                return null;
            }

            string? target;
            try
            {
                target = new FileInfo(link!).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }

            return target is null || string.Equals(target, opened, StringComparison.Ordinal) ? null : File.Exists(path) ? "replaced" : "deleted";
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            handle?.Dispose();
            handle = null;
        }
    }

    private bool Open()
    {
        if (!Directory.Exists("/proc/self/fd") || !File.Exists(path))
        {
            return false;
        }

        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        link = $"/proc/self/fd/{handle.DangerousGetHandle()}";
        opened = new FileInfo(link).LinkTarget;
        return true;
    }
}

/// <summary>A write refused because the database file in use was deleted or replaced while Kiln ran.</summary>
public sealed class DatabaseFileLostException(string path, string how)
    : IOException($"The database file {path} was {how} while Kiln was running: writes are refused, since nothing could read them after a restart. Put the right file back and restart Kiln.")
{
    /// <summary><c>deleted</c> or <c>replaced</c>.</summary>
    public string How { get; } = how;
}
