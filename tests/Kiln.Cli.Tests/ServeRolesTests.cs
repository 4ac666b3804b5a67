namespace Kiln.Cli.Tests;

/// <summary><c>kiln serve --roles</c>: what the command line refuses before anything starts.</summary>
public sealed class ServeRolesTests
{
    [Fact]
    public async Task Serve_SubsetWithoutTransportUrl_ExitsWithOneClearLine()
    {
        var line = (await KilnCli.RunAsync(["serve", "--roles", "api"])).ShouldFailWithOneLine(ExitCodes.Usage);

        line.ShouldBe("kiln: --roles api needs transport_url (RabbitMQ) in [DEFAULT]: with in-process messaging only all three roles in one process can talk to each other");
    }

    [Fact]
    public async Task Serve_UnknownRole_ExitsWithOneClearLine()
    {
        var line = (await KilnCli.RunAsync(["serve", "--roles", "api,shceduler"])).ShouldFailWithOneLine(ExitCodes.Usage);

        line.ShouldBe("kiln: --roles: unknown role 'shceduler'; expected a comma-separated list of api, scheduler, volume (or all)");
    }
}
