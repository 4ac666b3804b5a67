namespace Kiln.Cli.Tests;

/// <summary>
/// <c>kiln orphans</c>: the volume files no database record knows, listed offline. After the database was
/// deleted, every volume was gone from the API and its file an orphan, with no way to find them but ls.
/// </summary>
public sealed class OrphansCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-orphans-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Orphans_DatabaseGone_ListsEveryVolumeFileExitsSevenAndDeletesNothing()
    {
        var volumes = Directory.CreateDirectory(Path.Combine(dir.FullName, "vols")).FullName;
        var files = new[] { "volume-aaa.raw", "volume-bbb.qcow2" }.Select(name => Path.Combine(volumes, name)).ToList();
        files.ForEach(path => File.WriteAllBytes(path, new byte[512]));
        File.WriteAllBytes(Path.Combine(volumes, "snapshot-ccc.raw"), new byte[512]);
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = node
            state_path = {dir.FullName}/data
            enabled_backends = files, other

            [files]
            volume_driver = file
            file_volumes_dir = {volumes}

            [other]
            volume_driver = fault
            """);

        var table = await KilnCli.RunAsync(["orphans", "--config", config]);
        var json = (await KilnCli.RunAsync(["orphans", "--config", config, "-o", "json"])).ShouldExitWith(7).Json();

        table.ShouldExitWith(7);
        table.Stdout.ShouldContain("node@files");
        table.Stdout.ShouldContain(files[0]);
        table.Stdout.ShouldContain(files[1]);
        table.Stdout.ShouldNotContain("ccc");
        table.Stderr.ShouldContain("no database at");
        json.EnumerateArray().Select(o => o.GetProperty("volume").GetString()).ShouldBe(["aaa", "bbb"]);
        json.EnumerateArray().First().GetProperty("location").GetString().ShouldBe(files[0]);
        files.ShouldAllBe(path => File.Exists(path));
        File.Exists(Path.Combine(dir.FullName, "data", "kiln.db")).ShouldBeFalse("a missing database is not created");
    }

    [Fact]
    public async Task Orphans_NoVolumeFiles_ExitsZero()
    {
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            state_path = {dir.FullName}/data
            enabled_backends = files

            [files]
            volume_driver = file
            file_volumes_dir = {dir.FullName}/empty
            """);

        var result = await KilnCli.RunAsync(["orphans", "--config", config, "-o", "json"]);

        result.ShouldExitWith(0).Json().GetArrayLength().ShouldBe(0);
    }
}
