using System.Text.Json;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Identity;

/// <summary>
/// The service catalog of a Keystone token, and the lookup of Kiln's endpoint in it: the first
/// <c>volumev3</c> endpoint with the interface (and region, when given), else the first
/// <c>block-storage</c> one, the type openstackclient (through openstacksdk) asks for.
/// </summary>
internal sealed class ServiceCatalog(IReadOnlyList<CatalogService> services)
{
    public static IReadOnlyList<string> VolumeTypes { get; } = ["volumev3", "block-storage"];

    public IReadOnlyList<CatalogService> Services { get; } = services;

    /// <summary>From the token's <c>catalog</c> array.</summary>
    public static ServiceCatalog FromJson(IEnumerable<JsonElement> catalog) => new(
    [
        .. catalog.Select(service => new CatalogService(
            service.String("type"),
            [
                .. service.Array("endpoints").Select(e => new CatalogEndpoint(e.String("interface"), e.String("region_id"), e.String("region"), e.String("url"))),
            ])),
    ]);

    /// <summary>The URL of Kiln's endpoint; a usage error (exit 2) saying what the catalog has when there is none.</summary>
    public string FindVolumeEndpoint(string @interface, string? region)
    {
        foreach (var type in VolumeTypes)
        {
            var url = Services.Where(s => s.Type == type)
                .SelectMany(s => s.Endpoints)
                .FirstOrDefault(e => e.Url is not null && e.Serves(@interface, region))?.Url;
            if (url is not null)
            {
                return url;
            }
        }

        throw new CliException(ExitCodes.Usage, Missing(@interface, region));
    }

    private string Missing(string @interface, string? region)
    {
        var types = string.Join(" or ", VolumeTypes);
        var volume = Services.Where(s => VolumeTypes.Contains(s.Type)).SelectMany(s => s.Endpoints.Select(e => $"{s.Type} {e.Interface} in {e.RegionId ?? e.Region ?? "no region"}")).ToList();
        if (volume.Count > 0)
        {
            var where = region is null ? string.Empty : $" in region '{region}'";
            return $"Keystone's catalog has no {types} endpoint for interface '{@interface}'{where}; it has {string.Join(", ", volume)}: "
                + $"set {OpenStackVariables.Interface} or {OpenStackVariables.RegionName} to match one";
        }

        var all = Services.Select(s => s.Type ?? "(no type)").Distinct(StringComparer.Ordinal).ToList();
        var has = all.Count == 0 ? "it is empty" : $"it has {string.Join(", ", all)}";
        return $"Keystone's catalog has no {types} service, so kiln cannot tell where Kiln is ({has}): register Kiln's endpoint in Keystone, or give --url";
    }
}

/// <summary>One service of the catalog: its type (<c>volumev3</c>, <c>identity</c>, …) and its endpoints.</summary>
internal sealed record CatalogService(string? Type, IReadOnlyList<CatalogEndpoint> Endpoints);

/// <summary>One endpoint of a catalog service; Keystone writes the region both as <c>region_id</c> and <c>region</c>.</summary>
internal sealed record CatalogEndpoint(string? Interface, string? RegionId, string? Region, string? Url)
{
    public bool Serves(string @interface, string? region) =>
        string.Equals(Interface, @interface, StringComparison.OrdinalIgnoreCase)
        && (region is null || region == RegionId || region == Region);
}
