namespace Kiln.Cli.Tests;

/// <summary>
/// <c>kiln db sync</c> (Cinder's <c>cinder-manage db sync</c>): applies the migrations this Kiln carries and says
/// which, and says so when there is nothing to do; a database server that cannot be reached is exit 5 with one line.
/// </summary>
public sealed class DbSyncCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-dbsync-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task DbSync_NewThenAgain_AppliesEveryMigrationThenNothing()
    {
        var config = WriteConfig(string.Empty);

        var first = (await KilnCli.RunAsync(["db", "sync", "--config", config])).ShouldExitWith(0);
        var again = (await KilnCli.RunAsync(["db", "sync", "--config", config])).ShouldExitWith(0);

        var database = Path.Combine(dir.FullName, "data", "kiln.db");
        first.Stdout.ShouldStartWith($"SQLite {database}: applied ");
        first.Stdout.ShouldContain("20261123131306_InitialSchema, 20261206161737_UsersAndMessages");
        first.Stdout.ShouldContain("; schema now at ");
        File.Exists(database).ShouldBeTrue();
        again.Stdout.ShouldStartWith($"SQLite {database}: schema up to date (");
        again.Stdout.ShouldContain("nothing applied");
    }

    [Fact]
    public async Task DbSync_PostgreSqlServerNotListening_ExitsFiveNamingTheReason()
    {
        // Port 1 on loopback refuses at once; the PostgreSQL engine ships beside kiln and is loaded for the URL.
        var config = WriteConfig("[database]\nconnection = postgresql://kiln:s3cret@127.0.0.1:1/kiln\n");

        var result = await KilnCli.RunAsync(["db", "sync", "--config", config]);

        result.ShouldFailWithOneLine(5);
        result.Stderr.ShouldContain("PostgreSQL kiln on 127.0.0.1:1: database unavailable");
        result.Stderr.ShouldNotContain("s3cret");
    }

    private string WriteConfig(string database)
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(path, $"""
            [DEFAULT]
            state_path = {dir.FullName}/data

            {database}
            """);
        return path;
    }
}
