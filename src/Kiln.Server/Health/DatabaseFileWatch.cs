using Kiln.Server.Persistence;

namespace Kiln.Server.Health;

/// <summary>
/// Whether the SQLite file this process has open is still the one at its path. SQLite keeps writing an
/// open file after it is unlinked: a database deleted (or replaced) while Kiln ran answered 202 into a file
/// nobody could open again, and after a restart every volume was gone. Linux shows an open, unlinked file
/// as <c>/proc/self/fd/N -&gt; PATH (deleted)</c>, which covers both a deletion and a replacement (the old
/// inode is unlinked either way), so no inode bookkeeping is needed. Other engines and platforms: null.
/// </summary>
internal sealed class DatabaseFileWatch(DatabaseProvider provider)
{
    private const string OpenFiles = "/proc/self/fd";

    /// <summary>Reason the database file is not the one in use (<c>database file deleted</c> / <c>replaced</c>), or null.</summary>
    public string? Problem()
    {
        if (provider is not SqliteDatabaseProvider sqlite || !Directory.Exists(OpenFiles))
        {
            return null;
        }

        if (!File.Exists(sqlite.FilePath))
        {
            return DatabaseCheck.FileDeletedReason;
        }

        return HoldsUnlinked(sqlite.FilePath) ? DatabaseCheck.FileReplacedReason : null;
    }

    /// <summary>The path of the database file, for the log (null for other engines).</summary>
    public string? Path => (provider as SqliteDatabaseProvider)?.FilePath;

    private static bool HoldsUnlinked(string path)
    {
        var unlinked = path + " (deleted)";
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(OpenFiles))
            {
                try
                {
                    if (string.Equals(new FileInfo(fd).LinkTarget, unlinked, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                catch (IOException)
                {
                    // The descriptor was closed between the listing and the read.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return false;
    }
}
