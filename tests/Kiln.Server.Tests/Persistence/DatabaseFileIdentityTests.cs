using Kiln.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace Kiln.Server.Tests.Persistence;

public sealed class DatabaseFileIdentityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kiln-dbfile-").FullName;

    private string DbPath => Path.Combine(directory, "kiln.db");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Lost_OpenFileStillAtItsPath_IsNull()
    {
        using var connection = Open();
        var identity = new DatabaseFileIdentity(DbPath);

        identity.Lost().ShouldBeNull();
        identity.Lost().ShouldBeNull();
    }

    [Fact]
    public void Lost_OpenFileDeleted_IsDeleted()
    {
        using var connection = Open();
        var identity = new DatabaseFileIdentity(DbPath);
        identity.Lost().ShouldBeNull();

        File.Delete(DbPath);

        identity.Lost().ShouldBe("deleted");
        Should.Throw<DatabaseFileLostException>(identity.ThrowIfLost).Message.ShouldContain(DbPath);
    }

    [Fact]
    public void Lost_OpenFileReplacedByAnother_IsReplaced()
    {
        using var connection = Open();
        var identity = new DatabaseFileIdentity(DbPath);
        identity.Lost().ShouldBeNull();

        File.Copy(DbPath, DbPath + ".restore");
        File.Move(DbPath + ".restore", DbPath, overwrite: true);

        identity.Lost().ShouldBe("replaced");
    }

    [Fact]
    public void Lost_NothingOpen_IsNull()
    {
        File.WriteAllBytes(DbPath, []);

        new DatabaseFileIdentity(DbPath).Lost().ShouldBeNull();
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
