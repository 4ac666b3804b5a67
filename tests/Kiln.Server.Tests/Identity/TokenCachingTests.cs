using Kiln.Server.Identity.Keystone;
using Kiln.Server.Tests.Telemetry;

namespace Kiln.Server.Tests.Identity;

public sealed class TokenCachingTests
{
    [Fact]
    public async Task ValidateAsync_SameTokenTwice_AsksKeystoneOnce()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");

        var first = await h.ValidateAsync("tok-1");
        var second = await h.ValidateAsync("tok-1");

        second.ShouldBe(first);
        h.Keystone.Validations.ShouldBe(1);
    }

    [Fact]
    public async Task ValidateAsync_AfterTokenCacheTime_AsksKeystoneAgain()
    {
        await using var h = await ValidatorHarness.StartAsync(tokenCacheSeconds: 300);
        h.AddToken("tok-1");
        await h.ValidateAsync("tok-1");

        h.Time.Advance(TimeSpan.FromSeconds(299));
        await h.ValidateAsync("tok-1");
        var callsWithinCacheTime = h.Keystone.Validations;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await h.ValidateAsync("tok-1");

        callsWithinCacheTime.ShouldBe(1);
        h.Keystone.Validations.ShouldBe(2);
        after.ShouldBeOfType<TokenValidation.Valid>();
    }

    [Fact]
    public async Task ValidateAsync_TokenExpiringWithinCacheTime_IsNeverServedPastItsExpiry()
    {
        await using var h = await ValidatorHarness.StartAsync(tokenCacheSeconds: 300);
        h.AddToken("tok-1", lifetime: TimeSpan.FromSeconds(100));
        await h.ValidateAsync("tok-1");

        h.Time.Advance(TimeSpan.FromSeconds(99));
        var beforeExpiry = await h.ValidateAsync("tok-1");
        var callsBeforeExpiry = h.Keystone.Validations;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await h.ValidateAsync("tok-1");

        beforeExpiry.ShouldBeOfType<TokenValidation.Valid>();
        callsBeforeExpiry.ShouldBe(1);
        atExpiry.ShouldBe(new TokenValidation.Invalid("the token has expired"));
        h.Keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task ValidateAsync_CachingDisabled_AsksKeystoneEveryTime()
    {
        await using var h = await ValidatorHarness.StartAsync(tokenCacheSeconds: -1);
        h.AddToken("tok-1");

        for (var i = 0; i < 3; i++)
        {
            (await h.ValidateAsync("tok-1")).ShouldBeOfType<TokenValidation.Valid>();
            (await h.ValidateAsync("tok-unknown")).ShouldBeOfType<TokenValidation.Invalid>();
        }

        h.Keystone.Validations.ShouldBe(6);
        h.Concrete.CachedValidTokens.ShouldBe(0);
    }

    [Fact]
    public async Task ValidateAsync_TokenRevokedAfterItWasCached_StaysValidUntilTheCacheTimeAsWithKeystonemiddleware()
    {
        await using var h = await ValidatorHarness.StartAsync(tokenCacheSeconds: 60);
        h.AddToken("tok-1");
        await h.ValidateAsync("tok-1");
        h.Keystone.Revoke("tok-1");

        var cached = await h.ValidateAsync("tok-1");
        h.Time.Advance(TimeSpan.FromSeconds(60));
        var asked = await h.ValidateAsync("tok-1");

        cached.ShouldBeOfType<TokenValidation.Valid>();
        asked.ShouldBeOfType<TokenValidation.Invalid>();
    }

    [Fact]
    public async Task ValidateAsync_InvalidToken_IsRememberedForThirtySeconds()
    {
        await using var h = await ValidatorHarness.StartAsync();

        await h.ValidateAsync("tok-bad");
        h.Time.Advance(TimeSpan.FromSeconds(29));
        var remembered = await h.ValidateAsync("tok-bad");
        var callsWithin = h.Keystone.Validations;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.AddToken("tok-bad");
        var askedAgain = await h.ValidateAsync("tok-bad");

        remembered.ShouldBeOfType<TokenValidation.Invalid>();
        callsWithin.ShouldBe(1);
        askedAgain.ShouldBeOfType<TokenValidation.Valid>("a token Keystone refused too early (keys not yet on every node) works once forgotten");
        h.Keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task ValidateAsync_InvalidTokenWithShortCacheTime_IsRememberedNoLongerThanTheCacheTime()
    {
        await using var h = await ValidatorHarness.StartAsync(tokenCacheSeconds: 10);

        await h.ValidateAsync("tok-bad");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.ValidateAsync("tok-bad");

        h.Keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task ValidateAsync_MoreTokensThanTheCacheHolds_KeepsTheNewestWithinTheBound()
    {
        await using var h = await ValidatorHarness.StartAsync(limits: new TokenCacheLimits(3, 3, TimeSpan.FromSeconds(30)));
        foreach (var token in new[] { "tok-1", "tok-2", "tok-3", "tok-4" })
        {
            h.AddToken(token);
            await h.ValidateAsync(token);
        }

        h.Concrete.CachedValidTokens.ShouldBe(3);
        await h.ValidateAsync("tok-4");
        h.Keystone.Validations.ShouldBe(4, "the newest stays cached");
        await h.ValidateAsync("tok-1");
        h.Keystone.Validations.ShouldBe(5, "the oldest was dropped");
        h.Concrete.CachedValidTokens.ShouldBe(3);
    }

    [Fact]
    public async Task ValidateAsync_ManyInvalidTokens_NeverPushValidOnesOut()
    {
        await using var h = await ValidatorHarness.StartAsync(limits: new TokenCacheLimits(2, 2, TimeSpan.FromSeconds(30)));
        h.AddToken("tok-good");
        await h.ValidateAsync("tok-good");

        for (var i = 0; i < 10; i++)
        {
            await h.ValidateAsync($"tok-bad-{i}");
        }

        await h.ValidateAsync("tok-good");
        h.Keystone.Validations.ShouldBe(11);
    }

    [Fact]
    public async Task ValidateAsync_ConcurrentValidationsOfOneUncachedToken_AskKeystoneOnce()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.Keystone.Hold();

        var pending = Enumerable.Range(0, 5).Select(_ => h.ValidateAsync("tok-1")).ToList();
        await Wait.UntilAsync(() => h.Keystone.Validations == 1, "the first validation reaches Keystone");
        h.Keystone.Release();
        var results = await Task.WhenAll(pending);

        results.ShouldAllBe(r => r is TokenValidation.Valid);
        h.Keystone.Validations.ShouldBe(1);
    }

    [Fact]
    public async Task ValidateAsync_FirstCallerCancels_OthersGetTheAnswerAndItIsCached()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.Keystone.Hold();
        using var cancel = new CancellationTokenSource();

        var cancelled = h.Validator.ValidateAsync("tok-1", cancel.Token).AsTask();
        var waiting = h.ValidateAsync("tok-1");
        await Wait.UntilAsync(() => h.Keystone.Validations == 1, "the validation reaches Keystone");
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelled);
        h.Keystone.Release();

        (await waiting).ShouldBeOfType<TokenValidation.Valid>();
        (await h.ValidateAsync("tok-1")).ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Validations.ShouldBe(1);
    }
}
