namespace Kiln.Server.Persistence;

/// <summary>
/// Refuses commits into a SQLite file that is no longer the one at its path. SQLite goes on writing an open
/// file after it is unlinked (deleted, or replaced by a restore): every write answered after that went into
/// a file nobody could open again, and after a restart the volumes it described were gone. Linux shows such
/// a file as <c>/proc/self/fd/N -&gt; PATH (deleted)</c>; the descriptor SQLite uses is found once and then
/// one <c>readlink</c> per commit tells (about a microsecond), found again only when it was closed.
/// </summary>
internal sealed class DatabaseFileIdentity(string path)
{
    private const string OpenFiles = "/proc/self/fd";

    private readonly string unlinked = path + " (deleted)";
    private string? descriptor;

    /// <summary>Throws <see cref="DatabaseFileLostException"/> when the open database file was deleted or replaced.</summary>
    public void ThrowIfLost()
    {
        if (Lost() is { } reason)
        {
            throw new DatabaseFileLostException(path, reason);
        }
    }

    /// <summary><c>deleted</c> or <c>replaced</c> when the open file is no longer at its path; otherwise null.</summary>
    public string? Lost()
    {
        var target = descriptor is null ? null : Target(descriptor);
        if (target is null || (target != path && target != unlinked))
        {
            // Not found yet, or the descriptor was closed (and maybe reused): look at every open file.
            descriptor = null;
            target = null;
            if (!Directory.Exists(OpenFiles))
            {
                return null;
            }

            foreach (var fd in Directory.EnumerateFileSystemEntries(OpenFiles))
            {
                var candidate = Target(fd);
                if (candidate == unlinked)
                {
                    descriptor = fd;
                    target = candidate;
                    break;
                }

                if (candidate == path)
                {
                    descriptor = fd;
                    target = candidate;
                }
            }
        }

        return target == unlinked ? (File.Exists(path) ? "replaced" : "deleted") : null;
    }

    private static string? Target(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            // Closed between the listing and the read.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A write refused because the database file in use was deleted or replaced while Kiln ran.</summary>
public sealed class DatabaseFileLostException(string path, string how)
    : IOException($"The database file {path} was {how} while Kiln was running: writes are refused, since nothing could read them after a restart. Put the right file back and restart Kiln.")
{
    /// <summary><c>deleted</c> or <c>replaced</c>.</summary>
    public string How { get; } = how;
}
