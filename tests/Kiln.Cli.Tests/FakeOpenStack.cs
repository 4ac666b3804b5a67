using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kiln.Cli.Tests;

/// <summary>
/// A fake Keystone and a fake Kiln in one Kestrel app on a free loopback port, recording every request
/// with its headers and body. Keystone (<c>POST /v3/auth/tokens</c>, also under <c>/identity</c>)
/// accepts user <see cref="Username"/> (or id <see cref="UserId"/>) with <see cref="Password"/>, or the
/// token <see cref="UserToken"/>, and issues <see cref="IssuedToken"/> with a catalog pointing at itself:
/// per Kiln service type, public, internal and admin endpoints in RegionOne and a public one in
/// RegionTwo, each under its own path prefix. Kiln answers the few routes the tests run, under each
/// prefix; a volume list returns one volume named after the prefix and project that served it.
/// </summary>
internal sealed class FakeOpenStack : IAsyncDisposable
{
    public const string Username = "demo";
    public const string UserId = "u-0f5e";
    public const string Password = "s3cret-Pa55w0rd";
    public const string UserToken = "user-token-7a1c";
    public const string IssuedToken = "issued-token-93d2";
    public const string ProjectId = "p-4b1af7c7";

    private static readonly string[] Prefixes = ["", "/internal", "/admin", "/r2", "/explicit"];

    private readonly WebApplication app;

    private FakeOpenStack(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> KeystoneRequests => [.. Requests.Where(r => r.Path.EndsWith("/auth/tokens", StringComparison.Ordinal))];

    public IReadOnlyList<RecordedRequest> KilnRequests => [.. Requests.Where(r => !r.Path.EndsWith("/auth/tokens", StringComparison.Ordinal))];

    /// <summary>The types under which the catalog lists Kiln; none leaves only identity and compute.</summary>
    public IReadOnlyList<string> KilnServiceTypes { get; set; } = ["volumev3"];

    /// <summary>Whether catalog URLs end in the project (<c>…/v3/PROJECT</c>) or in <c>/v3</c>.</summary>
    public bool CatalogUrlsNameProject { get; set; } = true;

    /// <summary>Kiln answers 401 with keystonemiddleware's challenge unless the request carries a token it knows.</summary>
    public bool KilnRequiresToken { get; set; }

    /// <summary>Kiln answers os-services with 403, as Cinder's policy does for a non-admin.</summary>
    public bool PolicyForbidsServices { get; set; }

    public static async Task<FakeOpenStack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeOpenStack(builder.Build());
        fake.Map();
        await fake.app.StartAsync();
        fake.Url = new Uri(fake.app.Urls.Single().TrimEnd('/') + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Runs kiln with only <paramref name="environment"/> (the caller's KILN_* and OS_* removed).</summary>
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => KilnCli.RunAsync(args, environment);

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body));
            await next(context);
        });
        app.MapPost("/v3/auth/tokens", (Delegate)IssueToken);
        app.MapPost("/identity/v3/auth/tokens", (Delegate)IssueToken);
        foreach (var prefix in Prefixes)
        {
            app.MapGet($"{prefix}/v3/{{project}}/volumes/detail", (HttpContext context, string project) =>
                Kiln(context, () => Results.Json(new { volumes = new[] { Volume($"{prefix.TrimStart('/')}:{project}") } })));
            app.MapGet($"{prefix}/v3/{{project}}/volumes/{{id}}", (HttpContext context) =>
                Kiln(context, () => Results.Json(new { itemNotFound = new { code = 404, message = "Volume could not be found." } }, statusCode: 404)));
            app.MapGet($"{prefix}/v3/{{project}}/os-services", (HttpContext context) => Kiln(context, () => PolicyForbidsServices
                ? Results.Json(new { forbidden = new { code = 403, message = "Policy doesn't allow volume_extension:services:index to be performed." } }, statusCode: 403)
                : Results.Json(new { services = Array.Empty<object>() })));
        }
    }

    private IResult Kiln(HttpContext context, Func<IResult> answer)
    {
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        if (KilnRequiresToken && token is not IssuedToken and not UserToken)
        {
            context.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{Url.ToString().TrimEnd('/')}\"";
            return Unauthorized();
        }

        return answer();
    }

    private async Task<IResult> IssueToken(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var auth = body.RootElement.GetProperty("auth");
        var identity = auth.GetProperty("identity");
        var method = identity.GetProperty("methods")[0].GetString();
        var accepted = method switch
        {
            "password" => identity.GetProperty("password").GetProperty("user") is var user
                && (user.TryGetProperty("name", out var name) ? name.GetString() == Username : user.GetProperty("id").GetString() == UserId)
                && user.GetProperty("password").GetString() == Password,
            "token" => identity.GetProperty("token").GetProperty("id").GetString() == UserToken,
            _ => false,
        };
        if (!accepted)
        {
            return Unauthorized();
        }

        context.Response.Headers["X-Subject-Token"] = IssuedToken;
        var scoped = auth.TryGetProperty("scope", out _);
        var token = scoped
            ? (object)new { methods = new[] { method }, project = new { id = ProjectId, name = "demo", domain = new { id = "default", name = "Default" } }, catalog = Catalog() }
            : new { methods = new[] { method } };
        return Results.Json(new { token }, statusCode: 201);
    }

    private object[] Catalog()
    {
        var root = Url.ToString();
        var tail = CatalogUrlsNameProject ? $"v3/{ProjectId}" : "v3";
        var services = new List<object>
        {
            new { type = "identity", endpoints = new[] { Endpoint("public", "RegionOne", $"{root}v3") } },
            new { type = "compute", endpoints = new[] { Endpoint("public", "RegionOne", $"{root}compute/v2.1") } },
        };
        services.AddRange(KilnServiceTypes.Select(type => new
        {
            type,
            endpoints = new[]
            {
                Endpoint("public", "RegionOne", $"{root}{tail}"),
                Endpoint("internal", "RegionOne", $"{root}internal/{tail}"),
                Endpoint("admin", "RegionOne", $"{root}admin/{tail}"),
                Endpoint("public", "RegionTwo", $"{root}r2/{tail}"),
            },
        }));
        return [.. services];
    }

    private static object Endpoint(string @interface, string region, string url) =>
        new { id = Guid.NewGuid().ToString("N"), @interface, region_id = region, region, url };

    private static object Volume(string name) => new { id = "3dd39f68-55f9-418b-a731-934e17d3d8e3", name, status = "available", size = 1 };

    private static IResult Unauthorized() =>
        Results.Json(new { error = new { code = 401, title = "Unauthorized", message = "The request you have made requires authentication." } }, statusCode: 401);
}

/// <summary>One request the fake received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}
