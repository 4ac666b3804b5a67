using System.Net;
using Kiln.Server.Identity.Keystone;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Identity;

public sealed class ServiceTokenTests
{
    [Fact]
    public async Task ValidateAsync_FirstValidation_ObtainsTheServiceTokenOnceAndSaysSo()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.AddToken("tok-2");

        await h.ValidateAsync("tok-1");
        await h.ValidateAsync("tok-2");

        h.Keystone.Logins.ShouldBe(1);
        h.Keystone.ServiceTokensSeen.ShouldBe(["svc-1", "svc-1"]);
        var line = h.Logs.WithId(1500).ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Information);
        line.Message.ShouldBe($"Keystone: obtained a service token for kiln in project service from {h.Keystone.Url}v3/auth/tokens?nocatalog; it expires at 2026-12-06T17:00:00.0000000+00:00");
        h.Logs.Lines.ShouldAllBe(l => !l.Message.Contains(FakeKeystone.Password) && !l.Message.Contains("svc-1"));
    }

    [Fact]
    public async Task ValidateAsync_ServiceTokenWithinTwoMinutesOfExpiry_IsRenewedBeforeItExpires()
    {
        await using var h = await ValidatorHarness.StartAsync();
        foreach (var token in new[] { "tok-1", "tok-2", "tok-3" })
        {
            h.AddToken(token, TimeSpan.FromHours(2));
        }

        await h.ValidateAsync("tok-1");
        h.Time.Advance(TimeSpan.FromMinutes(57) + TimeSpan.FromSeconds(59));
        await h.ValidateAsync("tok-2");
        var loginsWithMoreThanTwoMinutesLeft = h.Keystone.Logins;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var renewed = await h.ValidateAsync("tok-3");

        loginsWithMoreThanTwoMinutesLeft.ShouldBe(1);
        renewed.ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Logins.ShouldBe(2);
        h.Keystone.ServiceTokensSeen.ShouldBe(["svc-1", "svc-1", "svc-2"]);
        h.Logs.WithId(1501).ShouldHaveSingleItem().Message.ShouldBe(
            "Keystone: renewed the service token (less than 120 s were left); the new one expires at 2026-12-06T17:58:00.0000000+00:00");
    }

    [Fact]
    public async Task ValidateAsync_ServiceTokenRevoked_GetsANewOneAndAsksOnceMore()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.AddToken("tok-2");
        await h.ValidateAsync("tok-1");
        h.Keystone.RevokeServiceTokens();

        var result = await h.ValidateAsync("tok-2");

        result.ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Logins.ShouldBe(2);
        h.Keystone.ServiceTokensSeen.ShouldBe(["svc-1", "svc-1", "svc-2"]);
        h.Logs.WithId(1502).ShouldHaveSingleItem().Level.ShouldBe(LogLevel.Warning);
        h.Logs.WithId(1501).ShouldHaveSingleItem().Message.ShouldStartWith("Keystone: renewed the service token (Keystone refused the previous one)");
    }

    [Fact]
    public async Task ValidateAsync_NewServiceTokenRefusedToo_IsUnavailableAsInKeystonemiddleware()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.Keystone.Script(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized);

        var result = await h.ValidateAsync("tok-1");

        result.ShouldBe(new TokenValidation.Unavailable("Keystone refused Kiln's new service token too (401) during a token validation"));
        h.Keystone.Logins.ShouldBe(2);
        h.Keystone.Validations.ShouldBe(2);
    }

    [Fact]
    public async Task ValidateAsync_CredentialsRefused_IsUnavailableAndKeystoneIsNotAskedAgainForTenSeconds()
    {
        await using var h = await ValidatorHarness.StartAsync(password: "wrong");
        const string Reason =
            "Keystone answered 401 Unauthorized to Kiln's service credentials (user kiln in domain Default, project service in domain Default); " +
            "check username, password, project_name and their domains in [keystone_authtoken]";

        var first = await h.ValidateAsync("tok-1");
        h.Time.Advance(TimeSpan.FromSeconds(9));
        var held = await h.ValidateAsync("tok-2");
        var loginsWhileHeld = h.Keystone.Logins;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.ValidateAsync("tok-3");

        first.ShouldBe(new TokenValidation.Unavailable(Reason));
        held.ShouldBe(new TokenValidation.Unavailable(Reason));
        loginsWhileHeld.ShouldBe(1);
        h.Keystone.Logins.ShouldBe(2);
        h.Keystone.Validations.ShouldBe(0);
        h.Logs.Lines.ShouldAllBe(l => !l.Message.Contains("wrong"));
    }

    [Fact]
    public async Task ValidateAsync_ConcurrentFirstValidations_ShareOneLogin()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.Keystone.HoldLogins();
        var tokens = Enumerable.Range(1, 4).Select(i => $"tok-{i}").ToList();
        tokens.ForEach(t => h.AddToken(t));

        var pending = tokens.Select(h.ValidateAsync).ToList();
        await Wait.UntilAsync(() => h.Keystone.Logins == 1, "the first login reaches Keystone");
        h.Keystone.Release();
        var results = await Task.WhenAll(pending);

        results.ShouldAllBe(r => r is TokenValidation.Valid);
        h.Keystone.Logins.ShouldBe(1);
    }

    [Fact]
    public async Task ValidateAsync_RenewalFailsWhileTheOldTokenIsStillValid_UsesTheOldToken()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1", TimeSpan.FromHours(2));
        h.AddToken("tok-2", TimeSpan.FromHours(2));
        await h.ValidateAsync("tok-1");
        h.Keystone.LoginStatus = HttpStatusCode.InternalServerError;
        h.Time.Advance(TimeSpan.FromMinutes(59));

        var result = await h.ValidateAsync("tok-2");

        result.ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Logins.ShouldBe(2);
        h.Keystone.ServiceTokensSeen.ShouldBe(["svc-1", "svc-1"]);
    }

    [Fact]
    public async Task ValidateAsync_RenewalFailsAfterTheOldTokenExpired_IsUnavailable()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1", TimeSpan.FromHours(2));
        h.AddToken("tok-2", TimeSpan.FromHours(2));
        await h.ValidateAsync("tok-1");
        h.Keystone.LoginStatus = HttpStatusCode.InternalServerError;
        h.Time.Advance(TimeSpan.FromHours(1));

        var result = await h.ValidateAsync("tok-2");

        result.ShouldBe(new TokenValidation.Unavailable("Keystone answered 500 InternalServerError to Kiln's login"));
        h.Keystone.Validations.ShouldBe(1);
    }

    [Theory]
    [InlineData(3600, 3480)]
    [InlineData(600, 480)]
    [InlineData(200, 100)]
    [InlineData(60, 30)]
    [InlineData(0, 0)]
    public void RenewAt_TokenLifetime_IsTwoMinutesBeforeExpiryOrHalfwayForShortTokens(int lifetimeSeconds, int renewAfterSeconds)
    {
        var obtained = ValidatorHarness.Start;
        var token = new ServiceToken("gAAAAA-service", obtained, obtained.AddSeconds(lifetimeSeconds));

        token.RenewAt.ShouldBe(obtained.AddSeconds(renewAfterSeconds));
        token.ToString().ShouldNotContain("gAAAAA");
    }
}
