using Kiln.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace Kiln.Server.Tests.Persistence;

public sealed class DatabaseFileIdentityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kiln-dbfile-").FullName;

    private string DbPath => Path.Combine(directory, "kiln.db");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Lost_SqliteClosedEveryConnectionSinceTheFirstLook_StillSeesTheFileGone()
    {
        using var identity = new DatabaseFileIdentity(DbPath);
        using (Open())
        {
            identity.Lost().ShouldBeNull();
        }

        SqliteConnection.ClearAllPools();
        File.Delete(DbPath);
        using var reopened = Open();

        // SQLite made a new, empty file at the path: not the one Kiln's records are in.
        identity.Lost().ShouldBe("replaced");
    }

    [Fact]
    public void Lost_PathThroughASymbolicLink_IsNotMistakenForAReplacement()
    {
        var real = Directory.CreateDirectory(Path.Combine(directory, "real")).FullName;
        var linked = Path.Combine(directory, "linked");
        Directory.CreateSymbolicLink(linked, real);
        var path = Path.Combine(linked, "kiln.db");
        File.WriteAllBytes(path, [1]);
        using var identity = new DatabaseFileIdentity(path);

        identity.Lost().ShouldBeNull();
        identity.Lost().ShouldBeNull();
    }

    [Fact]
    public void Lost_OpenFileStillAtItsPath_IsNull()
    {
        using var connection = Open();
        using var identity = new DatabaseFileIdentity(DbPath);

        identity.Lost().ShouldBeNull();
        identity.Lost().ShouldBeNull();
    }

    [Fact]
    public void Lost_OpenFileDeleted_IsDeleted()
    {
        using var connection = Open();
        using var identity = new DatabaseFileIdentity(DbPath);
        identity.Lost().ShouldBeNull();

        File.Delete(DbPath);

        identity.Lost().ShouldBe("deleted");
        Should.Throw<DatabaseFileLostException>(identity.ThrowIfLost).Message.ShouldContain(DbPath);
    }

    [Fact]
    public void Lost_OpenFileReplacedByAnother_IsReplaced()
    {
        using var connection = Open();
        using var identity = new DatabaseFileIdentity(DbPath);
        identity.Lost().ShouldBeNull();

        File.Copy(DbPath, DbPath + ".restore");
        File.Move(DbPath + ".restore", DbPath, overwrite: true);

        identity.Lost().ShouldBe("replaced");
    }

    [Fact]
    public void Lost_NoFileYet_IsNullUntilThereIsOne()
    {
        using var identity = new DatabaseFileIdentity(DbPath);
        identity.Lost().ShouldBeNull();

        File.WriteAllBytes(DbPath, [1]);
        identity.Lost().ShouldBeNull();
        File.Delete(DbPath);

        identity.Lost().ShouldBe("deleted");
    }

    private SqliteConnection Open()
    {
        // No pooling: the test's connection is the only open descriptor of the file.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (x INTEGER)";
        command.ExecuteNonQuery();
        return connection;
    }
}
