using System.Collections.Frozen;

namespace Kiln.Server.Dashboard;

/// <summary>The page's script and stylesheet, embedded in the assembly (no files to deploy, no CDN).</summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
    {
        ["htmx.min.js"] = (Read("htmx.min.js"), "text/javascript; charset=utf-8"),
        ["dashboard.js"] = (Read("dashboard.js"), "text/javascript; charset=utf-8"),
        ["dashboard.css"] = (Read("dashboard.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IResult Serve(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        // The files change only with Kiln itself; an hour of caching keeps the 2 s polling light.
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(asset.Content, asset.Type);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"Kiln.Dashboard.{name}")
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
