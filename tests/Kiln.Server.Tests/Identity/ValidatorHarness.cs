using Kiln.Server.Configuration;
using Kiln.Server.Identity.Keystone;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Identity;

/// <summary>
/// The validator as <c>AddKeystoneTokenValidation</c> registers it (IHttpClientFactory, the resilience
/// pipeline), against a <see cref="FakeKeystone"/>, on a fake clock that drives cache expiry,
/// service-token renewal, Polly's retry delays and attempt timeouts.
/// </summary>
internal sealed class ValidatorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 6, 16, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services;

    private ValidatorHarness(FakeKeystone keystone, FakeTimeProvider time, ServiceProvider services, LogRecorder logs)
    {
        Keystone = keystone;
        Time = time;
        this.services = services;
        Logs = logs;
    }

    public FakeKeystone Keystone { get; }

    public FakeTimeProvider Time { get; }

    public LogRecorder Logs { get; }

    public ITokenValidator Validator => services.GetRequiredService<ITokenValidator>();

    public KeystoneTokenValidator Concrete => services.GetRequiredService<KeystoneTokenValidator>();

    /// <summary>
    /// Starts a fake Keystone and the validator. Retries default to 0 here (keystonemiddleware's 3 in
    /// production) so that a scripted 500 needs no clock advance; the retry tests set them.
    /// </summary>
    public static async Task<ValidatorHarness> StartAsync(
        int tokenCacheSeconds = 300,
        int retries = 0,
        TimeSpan? timeout = null,
        TokenCacheLimits? limits = null,
        string password = FakeKeystone.Password)
    {
        var time = new FakeTimeProvider(Start);
        var keystone = await FakeKeystone.StartAsync(time);
        var options = new KeystoneOptions
        {
            AuthUrl = keystone.Url,
            WwwAuthenticateUri = keystone.Url.ToString(),
            Username = FakeKeystone.User,
            Password = password,
            ProjectName = FakeKeystone.Project,
            TokenCacheTime = tokenCacheSeconds == -1 ? null : TimeSpan.FromSeconds(tokenCacheSeconds),
            HttpRequestMaxRetries = retries,
            HttpConnectTimeout = timeout ?? TimeSpan.FromMinutes(10),
        };

        var logs = new LogRecorder();
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        collection.AddSingleton<TimeProvider>(time);
        if (limits is not null)
        {
            collection.AddSingleton(limits);
        }

        collection.AddKeystoneTokenValidation(options);
        return new ValidatorHarness(keystone, time, collection.BuildServiceProvider(), logs);
    }

    public Task<TokenValidation> ValidateAsync(string token) =>
        Validator.ValidateAsync(token, TestContext.Current.CancellationToken).AsTask();

    /// <summary>Adds a project-scoped token to Keystone that expires <paramref name="lifetime"/> from now (default 1 h).</summary>
    public void AddToken(string token, TimeSpan? lifetime = null, string userId = "u-1")
    {
        var expiresAt = Time.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1));
        Keystone.AddToken(token, () => KeystoneTokens.ProjectScoped(expiresAt, userId));
    }

    public async ValueTask DisposeAsync()
    {
        // Keystone first, so that calls still in flight (a test that failed while holding them) end.
        await Keystone.DisposeAsync();

        // Polly's disposal waits for executions in flight, polling on the injected clock: move it.
        var disposing = services.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing;
    }
}
