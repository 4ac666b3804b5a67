using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Identity;

/// <summary>
/// A Keystone on 127.0.0.1 implementing <c>POST</c> and <c>GET /v3/auth/tokens</c> with scripted
/// answers; token expiries follow the test's fake clock. Counts every call.
/// </summary>
internal sealed class FakeKeystone : IAsyncDisposable
{
    public const string User = "kiln";
    public const string Password = "s3cret";
    public const string Project = "service";

    private readonly WebApplication app;
    private readonly FakeTimeProvider time;
    private readonly ConcurrentDictionary<string, Func<string>> userTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> serviceTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HttpStatusCode> validationScript = new();
    private readonly ConcurrentQueue<string> seenServiceTokens = new();
    private readonly ConcurrentQueue<string> queries = new();
    private int logins;
    private int validations;
    private int issued;
    private volatile TaskCompletionSource? hold;
    private volatile TaskCompletionSource? holdLogins;

    private FakeKeystone(WebApplication app, FakeTimeProvider time)
    {
        this.app = app;
        this.time = time;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>POSTs received.</summary>
    public int Logins => Volatile.Read(ref logins);

    /// <summary>GETs received.</summary>
    public int Validations => Volatile.Read(ref validations);

    /// <summary>The X-Auth-Token of each GET, in order.</summary>
    public IReadOnlyList<string> ServiceTokensSeen => [.. seenServiceTokens];

    /// <summary>The query string of each call.</summary>
    public IReadOnlyList<string> Queries => [.. queries];

    /// <summary>The body of the latest POST.</summary>
    public JsonElement? LastLogin { get; private set; }

    /// <summary>How long issued service tokens last.</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, every POST is answered with this status.</summary>
    public HttpStatusCode? LoginStatus { get; set; }

    public static async Task<FakeKeystone> StartAsync(FakeTimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var keystone = new FakeKeystone(app, time);
        app.MapPost("/v3/auth/tokens", (Delegate)keystone.LoginAsync);
        app.MapGet("/v3/auth/tokens", (Delegate)keystone.ValidateAsync);
        await app.StartAsync();
        keystone.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return keystone;
    }

    /// <summary>Makes <paramref name="token"/> valid; <paramref name="body"/> is built at each GET.</summary>
    public void AddToken(string token, Func<string> body) => userTokens[token] = body;

    /// <summary>Revokes <paramref name="token"/>: GETs answer 404 for it from now on.</summary>
    public void Revoke(string token) => userTokens.TryRemove(token, out _);

    /// <summary>Answers the next GETs with these statuses, in order, whatever their tokens.</summary>
    public void Script(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            validationScript.Enqueue(status);
        }
    }

    /// <summary>Revokes every service token issued so far: GETs carrying one answer 401.</summary>
    public void RevokeServiceTokens()
    {
        foreach (var token in serviceTokens.Keys)
        {
            serviceTokens[token] = false;
        }
    }

    /// <summary>Holds every GET until <see cref="Release"/>.</summary>
    public void Hold() => hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Holds every POST until <see cref="Release"/>.</summary>
    public void HoldLogins() => holdLogins = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held calls, and those to come, through.</summary>
    public void Release()
    {
        hold?.TrySetResult();
        holdLogins?.TrySetResult();
    }

    /// <summary>Stops listening: calls are refused from now on.</summary>
    public async Task StopAsync()
    {
        Release();
        await app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.DisposeAsync();
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        Interlocked.Increment(ref logins);
        queries.Enqueue(context.Request.QueryString.Value ?? string.Empty);
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        LastLogin = body.RootElement.Clone();
        if (holdLogins is { } held)
        {
            await held.Task.WaitAsync(context.RequestAborted);
        }

        if (LoginStatus is { } status)
        {
            return Results.StatusCode((int)status);
        }

        var user = body.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user");
        if (user.GetProperty("name").GetString() != User || user.GetProperty("password").GetString() != Password)
        {
            return Results.Json(new { error = new { code = 401, message = "The request you have made requires authentication.", title = "Unauthorized" } }, statusCode: 401);
        }

        var token = $"svc-{Interlocked.Increment(ref issued)}";
        serviceTokens[token] = true;
        context.Response.Headers["X-Subject-Token"] = token;
        var expiresAt = KeystoneTokens.Timestamp(time.GetUtcNow() + ServiceTokenLifetime);
        return Results.Text(
            $$$"""{"token": {"methods": ["password"], "user": {"id": "kiln-id", "name": "{{{User}}}", "domain": {"id": "default", "name": "Default"}}, "expires_at": "{{{expiresAt}}}", "roles": [{"id": "r", "name": "service"}]}}""",
            "application/json",
            statusCode: 201);
    }

    private async Task<IResult> ValidateAsync(HttpContext context)
    {
        Interlocked.Increment(ref validations);
        queries.Enqueue(context.Request.QueryString.Value ?? string.Empty);
        var serviceToken = context.Request.Headers["X-Auth-Token"].ToString();
        seenServiceTokens.Enqueue(serviceToken);
        if (hold is { } held)
        {
            await held.Task.WaitAsync(context.RequestAborted);
        }

        if (validationScript.TryDequeue(out var scripted))
        {
            return Results.StatusCode((int)scripted);
        }

        if (!serviceTokens.TryGetValue(serviceToken, out var usable) || !usable)
        {
            return Results.Json(new { error = new { code = 401, message = "The request you have made requires authentication.", title = "Unauthorized" } }, statusCode: 401);
        }

        var subject = context.Request.Headers["X-Subject-Token"].ToString();
        return userTokens.TryGetValue(subject, out var body)
            ? Results.Text(body(), "application/json")
            : Results.Json(new { error = new { code = 404, message = $"Could not find token: {subject}.", title = "Not Found" } }, statusCode: 404);
    }
}
