namespace Kiln.Cli.Tests;

/// <summary>Finding Kiln in the token's catalog: by interface and region, volumev3 else block-storage, and what is said when it is not there.</summary>
public sealed class KeystoneCatalogTests
{
    [Theory]
    [InlineData(null, null, "")]
    [InlineData("internal", null, "internal")]
    [InlineData("admin", "RegionOne", "admin")]
    [InlineData(null, "RegionTwo", "r2")]
    [InlineData("publicURL", "RegionTwo", "r2")]
    public async Task VolumeList_InterfaceAndRegion_UsesThatCatalogEndpoint(string? @interface, string? region, string prefix)
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = OpenRc.Password(cloud);
        if (@interface is not null)
        {
            environment["OS_INTERFACE"] = @interface;
        }

        if (region is not null)
        {
            environment["OS_REGION_NAME"] = region;
        }

        var volumes = (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe($"{prefix}:{FakeOpenStack.ProjectId}");
    }

    [Fact]
    public async Task VolumeList_OnlyBlockStorageInCatalog_UsesIt()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnServiceTypes = ["block-storage"];

        var volumes = (await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe($":{FakeOpenStack.ProjectId}");
    }

    [Fact]
    public async Task VolumeList_CatalogUrlWithoutProject_AddsTheTokensProject()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.CatalogUrlsNameProject = false;

        (await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        cloud.KilnRequests.ShouldHaveSingleItem().Path.ShouldBe($"/v3/{FakeOpenStack.ProjectId}/volumes/detail");
    }

    [Fact]
    public async Task VolumeList_NoKilnInCatalog_ExitsUsageNamingTheServicesTheCatalogHas()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnServiceTypes = [];

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "list");

        var error = result.ShouldFailWithOneLine(ExitCodes.Usage);
        error.ShouldContain("Keystone's catalog has no volumev3 or block-storage service");
        error.ShouldContain("it has identity, compute");
        error.ShouldContain("give --url");
        cloud.KilnRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task VolumeList_NoEndpointInTheRegion_ExitsUsageListingTheEndpointsThereAre()
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud).With("OS_REGION_NAME", "RegionThree"), "volume", "list");

        var error = result.ShouldFailWithOneLine(ExitCodes.Usage);
        error.ShouldContain("no volumev3 or block-storage endpoint for interface 'public' in region 'RegionThree'");
        error.ShouldContain("volumev3 public in RegionOne, volumev3 internal in RegionOne, volumev3 admin in RegionOne, volumev3 public in RegionTwo");
        error.ShouldContain("OS_REGION_NAME");
    }
}
