using System.Diagnostics;
using System.Runtime.Versioning;

namespace Kiln.Cli.Tests;

/// <summary>
/// The repository's <c>./kiln</c> script: it builds only when a source is newer than its last build, then
/// runs the built app in the caller's directory. Run on a copy of the script in a small fake repository
/// with a fake <c>dotnet</c> that records its calls, so no real build is needed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RunScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/bin/sh
        echo "dotnet $* (in $PWD)" >> "$FAKE_LOG"
        if [ "$1" = publish ]; then
          if [ -n "$FAKE_BUILD_FAILS" ]; then echo "error CS0246: broken"; exit 1; fi
          mkdir -p "$FAKE_ROOT/src/Kiln/bin/Release/kiln"
          touch "$FAKE_ROOT/src/Kiln/bin/Release/kiln/kiln.dll"
          echo "  kiln -> built"
          exit 0
        fi
        echo "ran $*"
        """;

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-script-");
    private readonly string root;
    private readonly string elsewhere;
    private readonly string log;

    public RunScriptTests()
    {
        root = Directory.CreateDirectory(Path.Combine(dir.FullName, "repo")).FullName;
        elsewhere = Directory.CreateDirectory(Path.Combine(dir.FullName, "elsewhere")).FullName;
        log = Path.Combine(dir.FullName, "dotnet.log");
        File.Copy(Repository.PathOf("kiln"), Path.Combine(root, "kiln"));
        Directory.CreateDirectory(Path.Combine(root, "src/Kiln"));
        foreach (var file in new[] { "src/Kiln/Program.cs", "src/Kiln/Kiln.csproj", "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.WriteAllText(Path.Combine(root, file), string.Empty);
            File.SetLastWriteTimeUtc(Path.Combine(root, file), DateTime.UtcNow.AddMinutes(-10));
        }

        var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "fakebin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dotnet"), FakeDotnet.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string Dll => Path.Combine(root, "src/Kiln/bin/Release/kiln/kiln.dll");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Run_NeverBuilt_PublishesReadyToRunWithProgressOnStderrThenRunsInTheCallersDirectory()
    {
        var run = await RunAsync(Path.Combine(root, "kiln"), "volume", "list", "-o", "json");

        run.ExitCode.ShouldBe(0, run.Stderr);
        Calls().ShouldBe([
            $"dotnet publish {root}/src/Kiln/Kiln.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o {root}/src/Kiln/bin/Release/kiln -nologo -v minimal (in {elsewhere})",
            $"dotnet {Dll} volume list -o json (in {elsewhere})",
        ]);
        run.Stderr.ShouldContain("kiln: building Release");
        run.Stderr.ShouldContain("kiln -> built");
        run.Stdout.Trim().ShouldBe($"ran {Dll} volume list -o json", "stdout is the command's alone");
    }

    [Fact]
    public async Task Run_BuiltAndNothingChanged_RunsWithoutBuilding()
    {
        (await RunAsync(Path.Combine(root, "kiln"), "version")).ExitCode.ShouldBe(0);
        // Build outputs are not sources: a newer file under bin/ or obj/ does not make the build stale.
        File.WriteAllText(Path.Combine(root, "src/Kiln/obj/generated.cs"), string.Empty);
        File.SetLastWriteTimeUtc(Path.Combine(root, "src/Kiln/obj/generated.cs"), DateTime.UtcNow.AddMinutes(1));
        File.Delete(log);

        var run = await RunAsync(Path.Combine(root, "kiln"), "serve");

        run.ExitCode.ShouldBe(0, run.Stderr);
        Calls().ShouldBe([$"dotnet {Dll} serve (in {elsewhere})"]);
        run.Stderr.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("src/Kiln/Program.cs")]
    [InlineData("Directory.Packages.props")]
    public async Task Run_ASourceNewerThanTheLastBuild_BuildsAgain(string source)
    {
        (await RunAsync(Path.Combine(root, "kiln"), "version")).ExitCode.ShouldBe(0);
        File.SetLastWriteTimeUtc(Path.Combine(root, source), DateTime.UtcNow.AddMinutes(1));
        File.Delete(log);

        var run = await RunAsync(Path.Combine(root, "kiln"), "version");

        run.ExitCode.ShouldBe(0, run.Stderr);
        Calls().Count(c => c.StartsWith("dotnet publish ", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Run_BuildFails_ExitsNonZeroAndStartsNothing()
    {
        var run = await RunAsync(Path.Combine(root, "kiln"), new Dictionary<string, string> { ["FAKE_BUILD_FAILS"] = "1" }, "serve");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("error CS0246: broken");
        run.Stderr.ShouldContain("kiln: the build failed");
        Calls().ShouldHaveSingleItem().ShouldStartWith("dotnet publish ");
    }

    [Fact]
    public async Task Install_ThenTheLinkFromAnotherDirectory_RunsThisRepositorysBuild()
    {
        var bin = Path.Combine(dir.FullName, "home-bin");

        var install = await RunAsync(Path.Combine(root, "kiln"), "--install", bin);
        var run = await RunAsync(Path.Combine(bin, "kiln"), "version");

        install.ExitCode.ShouldBe(0, install.Stderr);
        new FileInfo(Path.Combine(bin, "kiln")).LinkTarget.ShouldBe(Path.Combine(root, "kiln"));
        install.Stdout.ShouldContain("is not on your PATH");
        run.ExitCode.ShouldBe(0, run.Stderr);
        Calls().Last().ShouldBe($"dotnet {Dll} version (in {elsewhere})");
    }

    private Task<CliResult> RunAsync(string script, params string[] args) => RunAsync(script, new Dictionary<string, string>(), args);

    private async Task<CliResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(script)
        {
            WorkingDirectory = elsewhere,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PATH"] = $"{dir.FullName}/fakebin:/usr/bin:/bin";
        info.Environment["FAKE_LOG"] = log;
        info.Environment["FAKE_ROOT"] = root;
        info.Environment.Remove("DOTNET_ROOT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return new CliResult(string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }

    private List<string> Calls() => File.Exists(log) ? [.. File.ReadAllLines(log)] : [];
}
