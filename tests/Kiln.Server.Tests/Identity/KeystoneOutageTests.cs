using System.Net;
using Kiln.Server.Identity.Keystone;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Identity;

public sealed class KeystoneOutageTests
{
    [Fact]
    public async Task ValidateAsync_KeystoneStopped_UncachedTokensAreUnavailableAndCachedOnesStayValid()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-cached");
        h.AddToken("tok-new");
        await h.ValidateAsync("tok-cached");

        await h.Keystone.StopAsync();
        var cached = await h.ValidateAsync("tok-cached");
        var uncached = await h.ValidateAsync("tok-new");

        cached.ShouldBeOfType<TokenValidation.Valid>();
        uncached.ShouldBeOfType<TokenValidation.Unavailable>().Reason
            .ShouldStartWith($"Keystone at {h.Keystone.Url.Authority} cannot be reached for a token validation: ");
    }

    [Fact]
    public async Task ValidateAsync_KeystoneDownBeforeTheFirstLogin_IsUnavailableNamingTheLogin()
    {
        await using var h = await ValidatorHarness.StartAsync();
        await h.Keystone.StopAsync();

        var result = await h.ValidateAsync("tok-1");

        result.ShouldBeOfType<TokenValidation.Unavailable>().Reason
            .ShouldStartWith($"Keystone at {h.Keystone.Url.Authority} cannot be reached for Kiln's login: ");
    }

    [Fact]
    public async Task ValidateAsync_DuringAnOutage_LogsOneErrorWithTheExceptionThenDebugLines()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-0");
        await h.ValidateAsync("tok-0");
        await h.Keystone.StopAsync();

        for (var i = 1; i <= 3; i++)
        {
            await h.ValidateAsync($"tok-{i}");
        }

        var error = h.Logs.WithId(1503).ShouldHaveSingleItem();
        error.Level.ShouldBe(LogLevel.Error);
        error.Exception.ShouldBeOfType<HttpRequestException>();
        error.Message.ShouldEndWith("; requests with tokens not in the cache are answered 503 until it answers again");
        h.Logs.WithId(1504).Select(l => (l.Level, l.Exception?.GetType())).ShouldBe(
            [(LogLevel.Debug, typeof(HttpRequestException)), (LogLevel.Debug, typeof(HttpRequestException))]);
    }

    [Fact]
    public async Task ValidateAsync_KeystoneAnswersAgain_LogsRecoveryOnce()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.Keystone.Script(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway);

        await h.ValidateAsync("tok-1");
        await h.ValidateAsync("tok-1");
        await h.ValidateAsync("tok-1");
        await h.ValidateAsync("tok-unknown");

        h.Logs.WithId(1503).ShouldHaveSingleItem().Message.ShouldStartWith("Keystone unavailable: Keystone answered 500 InternalServerError to a token validation;");
        h.Logs.WithId(1504).ShouldHaveSingleItem();
        h.Logs.WithId(1505).ShouldHaveSingleItem().Message.ShouldBe("Keystone answers again after 2 failed calls since 2026-12-06T16:00:00.0000000+00:00");
    }

    [Fact]
    public async Task ValidateAsync_TransientErrorsWithRetries_RetriesWithBackoffAndSucceeds()
    {
        await using var h = await ValidatorHarness.StartAsync(retries: 3);
        h.AddToken("tok-1");
        h.Keystone.Script(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable);

        var pending = h.ValidateAsync("tok-1");
        await Wait.UntilAsync(() => pending.IsCompleted, "the retries end", step: () => h.Time.Advance(TimeSpan.FromMilliseconds(500)));

        (await pending).ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Validations.ShouldBe(3);
        h.Logs.Lines.Where(l => l.Category.StartsWith("Polly", StringComparison.Ordinal)).ShouldNotBeEmpty();
        h.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).ShouldBeEmpty("retries that succeed are no news: Polly's events of this client go to Debug");
    }

    [Fact]
    public async Task ValidateAsync_PersistentErrorWithRetries_GivesUpAfterTheRetries()
    {
        await using var h = await ValidatorHarness.StartAsync(retries: 2);
        h.AddToken("tok-1");
        h.Keystone.Script(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);

        var pending = h.ValidateAsync("tok-1");
        await Wait.UntilAsync(() => pending.IsCompleted, "the retries end", step: () => h.Time.Advance(TimeSpan.FromMilliseconds(500)));

        (await pending).ShouldBe(new TokenValidation.Unavailable("Keystone answered 500 InternalServerError to a token validation"));
        h.Keystone.Validations.ShouldBe(3);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task ValidateAsync_ClientErrorWithRetries_IsNotRetried(HttpStatusCode status)
    {
        await using var h = await ValidatorHarness.StartAsync(retries: 3);
        h.Keystone.Script(status);

        await h.ValidateAsync("tok-1");

        h.Keystone.Validations.ShouldBe(1);
    }

    [Fact]
    public async Task ValidateAsync_KeystoneHangs_IsUnavailableAfterTheAttemptTimeout()
    {
        await using var h = await ValidatorHarness.StartAsync(timeout: TimeSpan.FromSeconds(2));
        h.AddToken("tok-1");
        h.Keystone.Hold();

        var pending = h.ValidateAsync("tok-1");
        await Wait.UntilAsync(() => h.Keystone.Validations == 1, "the validation reaches Keystone");
        h.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Yield();
        var beforeTimeout = pending.IsCompleted;
        h.Time.Advance(TimeSpan.FromSeconds(0.1));

        (await pending).ShouldBe(new TokenValidation.Unavailable($"Keystone at {h.Keystone.Url.Authority} did not answer a token validation within 2 s"));
        beforeTimeout.ShouldBeFalse();
    }
}
