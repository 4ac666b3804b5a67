using System.Text.RegularExpressions;

namespace Kiln.Cli.Tests;

/// <summary>Command lines that cannot be used, help and version: no server needed.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "volume", "frobnicate" }, "'frobnicate' is not a command of 'kiln volume'", "kiln volume --help")]
    [InlineData(new[] { "volume", "show" }, "Required argument missing", "kiln volume show --help")]
    [InlineData(new[] { "volume", "extend", "vol", "abc" }, "size 'abc' is not a size", "kiln volume extend --help")]
    [InlineData(new[] { "volume", "create", "--size", "0" }, "--size '0' is not a size", "kiln volume create --help")]
    [InlineData(new[] { "volume", "create", "--size", "1", "--wait", "--timeout", "0" }, "--timeout '0' is not a number of seconds", "kiln volume create --help")]
    [InlineData(new[] { "volume", "create", "--snapshot", "a", "--source-volume", "b" }, "give at most one of --snapshot and --source-volume", "kiln volume create --help")]
    [InlineData(new[] { "service", "list", "--output", "xml" }, "Argument 'xml' not recognized", "kiln service list --help")]
    [InlineData(new[] { "pool", "list", "--bogus" }, "'--bogus' is not an option of 'kiln pool list'", "kiln pool list --help")]
    [InlineData(new[] { "volume", "list", "extra" }, "unexpected argument 'extra'", "kiln volume list --help")]
    public async Task AnyCommand_BadCommandLine_ExitsUsageWithOneLinePointingAtHelp(string[] args, string problem, string help)
    {
        var result = await KilnCli.RunAsync(args);

        var error = result.ShouldFailWithOneLine(ExitCodes.Usage);
        error.ShouldContain(problem);
        error.ShouldEndWith($"(see '{help}')");
        result.Stdout.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(new[] { "volum", "list" }, "'volum' is not a command of 'kiln'; did you mean 'volume'?", "kiln --help")]
    [InlineData(new[] { "snapshots", "list" }, "'snapshots' is not a command of 'kiln'; did you mean 'snapshot'?", "kiln --help")]
    [InlineData(new[] { "volume", "lsit" }, "'lsit' is not a command of 'kiln volume'; did you mean 'list'?", "kiln volume --help")]
    [InlineData(new[] { "service", "sho", "x@y" }, "'sho' is not a command of 'kiln service'; did you mean 'show'?", "kiln service --help")]
    [InlineData(new[] { "pool", "list", "--outptu", "json" }, "'--outptu' is not an option of 'kiln pool list'; did you mean '--output'?", "kiln pool list --help")]
    public async Task AnyCommand_Typo_OneErrorThatSuggestsTheNearestName(string[] args, string problem, string help)
    {
        var result = await KilnCli.RunAsync(args);

        var error = result.ShouldFailWithOneLine(ExitCodes.Usage);
        error.ShouldBe($"kiln: {problem} (see '{help}')");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnyCommand_NothingClose_NoSuggestion()
    {
        var error = (await KilnCli.RunAsync(["frobnicate"])).ShouldFailWithOneLine(ExitCodes.Usage);

        error.ShouldBe("kiln: 'frobnicate' is not a command of 'kiln' (see 'kiln --help')");
    }

    [Theory]
    [InlineData(new string[0], "kiln [command] [options]")]
    [InlineData(new[] { "volume" }, "kiln volume [command] [options]")]
    [InlineData(new[] { "service" }, "kiln service [command] [options]")]
    public async Task BareCommandGroup_PrintsItsHelpAndExitsZero(string[] args, string usage)
    {
        var help = (await KilnCli.RunAsync(args)).ShouldSucceedWithTable();

        help.ShouldContain(usage);
        help.ShouldContain("Commands:");
    }

    [Fact]
    public async Task Help_RootCommand_ListsEveryCommand()
    {
        var help = (await KilnCli.RunAsync(["--help"])).ShouldSucceedWithTable();

        foreach (var command in new[] { "serve", "service", "backend", "volume", "snapshot", "type", "transfer", "qos", "group", "quota", "message", "pool", "config", "orphans", "version" })
        {
            help.ShouldMatch($@"(?m)^\s+{command}\s");
        }
    }

    [Fact]
    public async Task Version_TableAndJson_ShowTheVersionAndApiRange()
    {
        var table = (await KilnCli.RunAsync(["version"])).ShouldSucceedWithTable();
        var json = (await KilnCli.RunAsync(["version", "-o", "json"])).ShouldSucceedWithJson();

        var version = json.GetProperty("version").GetString()!;
        Regex.IsMatch(version, @"^\d+\.\d+\.\d+").ShouldBeTrue(version);
        json.GetProperty("api_version").GetString().ShouldBe("3.49");
        json.GetProperty("server_min_api_version").GetString().ShouldBe("3.0");
        json.GetProperty("server_max_api_version").GetString().ShouldBe("3.70");
        table.ShouldStartWith($"kiln {version}");
        table.ShouldContain("microversion 3.49");
    }
}
