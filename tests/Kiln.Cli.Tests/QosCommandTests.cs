using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln qos …</c> against a real server.</summary>
public sealed class QosCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task CreateListShow_Json_SpecsWithConsumerAndKeys()
    {
        var name = Names.Unique("limited");

        var created = (await server.RunAsync("qos", "create", name, "total_iops_sec=500", "--consumer", "both", "-o", "json")).ShouldSucceedWithJson();
        var list = (await server.RunAsync("qos", "list", "-o", "json")).ShouldSucceedWithJson();
        var shown = (await server.RunAsync("qos", "show", name, "-o", "json")).ShouldSucceedWithJson();

        created.GetProperty("consumer").GetString().ShouldBe("both");
        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.EnumerateArray().Single(q => q.GetProperty("name").GetString() == name).GetProperty("specs").GetProperty("total_iops_sec").GetString().ShouldBe("500");
        shown.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "name", "consumer", "specs", "associated_types"]);
        shown.GetProperty("id").GetString().ShouldBe(created.GetProperty("id").GetString());
        shown.GetProperty("associated_types").EnumerateArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task List_Table_OneRowPerSpecsWithKeys()
    {
        var name = Names.Unique("table");
        (await server.RunAsync("qos", "create", name, "read_iops_sec=100")).ShouldExitWith(ExitCodes.Ok);

        var table = (await server.RunAsync("qos", "list")).ShouldSucceedWithTable();

        table.Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal)).ShouldContain("read_iops_sec=100");
    }

    [Fact]
    public async Task Show_Unknown_ExitsNotFound()
    {
        (await server.RunAsync("qos", "show", "no-such-qos")).ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain("no-such-qos");
    }

    [Fact]
    public async Task Create_BadConsumer_ExitsUsageBeforeAnyRequest()
    {
        (await server.RunAsync("qos", "create", Names.Unique("bad"), "--consumer", "hypervisor")).ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("hypervisor");
    }
}
