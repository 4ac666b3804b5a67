using System.Net;
using System.Net.Sockets;

namespace Kiln.Cli.Tests;

/// <summary>Which server and project the client talks to: --url, KILN_URL, the default; --project, KILN_PROJECT, admin.</summary>
public sealed class EndpointTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task AnyCommand_ServerNotListening_ExitsUnreachableNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await KilnCli.RunAsync(["volume", "list", "--url", url, "-o", "json"]);

        var error = result.ShouldFailWithOneLine(ExitCodes.Unreachable);
        error.ShouldStartWith($"kiln: cannot reach Kiln at {url}: ");
        error.ShouldContain("refused");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnyCommand_NoUrlAnywhere_UsesTheLocalDefault()
    {
        // Nothing listens on 8776 while the tests run (their servers take free ports).
        var error = (await KilnCli.RunAsync(["service", "list"])).ShouldFailWithOneLine(ExitCodes.Unreachable);

        error.ShouldStartWith("kiln: cannot reach Kiln at http://127.0.0.1:8776/: ");
    }

    [Fact]
    public async Task UrlOption_KilnUrlAlsoSet_WinsOverKilnUrl()
    {
        var environment = new Dictionary<string, string> { ["KILN_URL"] = $"http://127.0.0.1:{ClosedPort()}" };

        var result = await KilnCli.RunAsync(["service", "list", "--url", server.Url.ToString(), "-o", "json"], environment);

        result.ShouldSucceedWithJson().GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task KilnUrl_WithCinderStyleV3Suffix_IsAccepted()
    {
        var environment = new Dictionary<string, string> { ["KILN_URL"] = new Uri(server.Url, "v3").ToString() };

        (await KilnCli.RunAsync(["pool", "list", "-o", "json"], environment)).ShouldSucceedWithJson();
    }

    [Theory]
    [InlineData("--url", "not a url", "--url 'not a url' is not an http:// or https:// URL")]
    [InlineData("KILN_URL", "ftp://host/", "KILN_URL 'ftp://host/' is not an http:// or https:// URL")]
    [InlineData("--project", "a/b", "--project 'a/b' is not a project id")]
    public async Task AnyCommand_BadEndpoint_ExitsUsageNamingWhereItCameFrom(string source, string value, string message)
    {
        var result = source.StartsWith("--", StringComparison.Ordinal)
            ? await KilnCli.RunAsync(["volume", "list", source, value])
            : await KilnCli.RunAsync(["volume", "list"], new Dictionary<string, string> { [source] = value });

        result.ShouldFailWithOneLine(ExitCodes.Usage).ShouldStartWith($"kiln: {message}");
    }

    [Fact]
    public async Task KilnProject_ScopesVolumes_AndProjectOptionOverridesIt()
    {
        var project = Names.Unique("tenant");
        var name = Names.Unique("scoped");
        var inProject = new Dictionary<string, string> { ["KILN_URL"] = server.Url.ToString(), ["KILN_PROJECT"] = project };
        (await KilnCli.RunAsync(["volume", "create", "--size", "1", "--type", "fast", "--name", name, "--wait"], inProject)).ShouldExitWith(ExitCodes.Ok);

        var own = (await KilnCli.RunAsync(["volume", "list", "-o", "json"], inProject)).ShouldSucceedWithJson();
        var admin = (await server.RunAsync("volume", "list", "-o", "json")).ShouldSucceedWithJson();
        var overridden = (await KilnCli.RunAsync(["volume", "list", "--project", "admin", "-o", "json"], inProject)).ShouldSucceedWithJson();
        var byOption = (await server.RunAsync("volume", "show", name, "--project", project, "-o", "json")).ShouldSucceedWithJson();

        own.EnumerateArray().Select(v => v.GetProperty("name").GetString()).ShouldBe([name]);
        admin.EnumerateArray().ShouldNotContain(v => v.GetProperty("name").GetString() == name);
        overridden.EnumerateArray().ShouldNotContain(v => v.GetProperty("name").GetString() == name);
        byOption.GetProperty("name").GetString().ShouldBe(name);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
