using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln type …</c> against a real server.</summary>
public sealed class TypeCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    [Fact]
    public async Task Create_Json_PrintsTheTypeWithStableKeys()
    {
        var name = Names.Unique("gold");

        var type = (await server.RunAsync("type", "create", name, "--description", "fast disks", "-o", "json")).ShouldSucceedWithJson();

        type.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "name", "description", "is_public", "extra_specs"]);
        type.GetProperty("name").GetString().ShouldBe(name);
        type.GetProperty("description").GetString().ShouldBe("fast disks");
        type.GetProperty("extra_specs").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_TakenName_ExitsConflict()
    {
        var name = Names.Unique("taken");
        (await server.RunAsync("type", "create", name)).ShouldSucceedWithTable().ShouldContain(name);

        var error = (await server.RunAsync("type", "create", name)).ShouldFailWithOneLine(ExitCodes.Conflict);

        error.ShouldBe($"kiln: Volume Type {name} already exists.");
    }

    [Fact]
    public async Task Set_KeyValues_AddsExtraSpecsShownByList()
    {
        var name = Names.Unique("tiered");
        (await server.RunAsync("type", "create", name)).ShouldExitWith(ExitCodes.Ok);

        var type = (await server.RunAsync("type", "set", name, "volume_backend_name=fast", "tier=gold", "-o", "json")).ShouldSucceedWithJson();
        var list = (await server.RunAsync("type", "list", "-o", "json")).ShouldSucceedWithJson();
        var table = (await server.RunAsync("type", "list")).ShouldSucceedWithTable();

        type.GetProperty("extra_specs").GetProperty("volume_backend_name").GetString().ShouldBe("fast");
        type.GetProperty("extra_specs").GetProperty("tier").GetString().ShouldBe("gold");
        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.EnumerateArray().Single(t => t.GetProperty("name").GetString() == name)
            .GetProperty("extra_specs").GetProperty("tier").GetString().ShouldBe("gold");
        table.Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal)).ShouldContain("tier=gold, volume_backend_name=fast");
    }

    [Fact]
    public async Task Set_UnknownType_ExitsNotFound()
    {
        (await server.RunAsync("type", "set", "no-such-type", "a=b")).ShouldFailWithOneLine(ExitCodes.NotFound).ShouldContain("no-such-type");
    }

    [Fact]
    public async Task Set_NotKeyValue_ExitsUsageBeforeAnyRequest()
    {
        var error = (await server.RunAsync("type", "set", "fast", "volume_backend_name")).ShouldFailWithOneLine(ExitCodes.Usage);

        error.ShouldContain("'volume_backend_name' is not key=value");
        error.ShouldContain("kiln type set --help");
    }

    [Fact]
    public async Task Set_TypeInUse_ExitsRefused()
    {
        // The fixture's "fast" type has volumes once any test created one; make sure of it here.
        (await server.RunAsync("volume", "create", "--size", "1", "--type", "fast", "--wait")).ShouldExitWith(ExitCodes.Ok);

        (await server.RunAsync("type", "set", "fast", "tier=silver")).ShouldFailWithOneLine(ExitCodes.Conflict).ShouldContain("in use");
    }
}
