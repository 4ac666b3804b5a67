using System.Net;
using Kiln.Server.Identity.Keystone;

namespace Kiln.Server.Tests.Identity;

public sealed class TokenValidationTests
{
    [Fact]
    public async Task ValidateAsync_ValidProjectToken_ReturnsUserProjectRolesAndExpiry()
    {
        await using var h = await ValidatorHarness.StartAsync();
        var expiresAt = h.Time.GetUtcNow().AddMinutes(45);
        h.Keystone.AddToken("tok-alice", () => KeystoneTokens.ProjectScoped(expiresAt, "u-1", "p-1", "member", "Reader", "load-balancer_observer"));

        var result = await h.ValidateAsync("tok-alice");

        var token = result.ShouldBeOfType<TokenValidation.Valid>().Token;
        token.UserId.ShouldBe("u-1");
        token.UserName.ShouldBe("alice");
        token.UserDomainId.ShouldBe("default");
        token.ProjectId.ShouldBe("p-1");
        token.ProjectName.ShouldBe("demo");
        token.ProjectDomainId.ShouldBe("d-7");
        token.Roles.Order(StringComparer.Ordinal).ShouldBe(["Reader", "load-balancer_observer", "member"]);
        token.Roles.ShouldContain("reader", "roles compare case-insensitively, as oslo.policy's role checks do");
        token.ExpiresAt.ShouldBe(expiresAt);
        token.SystemScopeAll.ShouldBeFalse();
    }

    [Fact]
    public async Task ValidateAsync_SystemScopedToken_ReturnsSystemScopeAllWithoutProject()
    {
        await using var h = await ValidatorHarness.StartAsync();
        var expiresAt = h.Time.GetUtcNow().AddHours(1);
        h.Keystone.AddToken("tok-admin", () => KeystoneTokens.SystemScoped(expiresAt));

        var token = (await h.ValidateAsync("tok-admin")).ShouldBeOfType<TokenValidation.Valid>().Token;

        token.SystemScopeAll.ShouldBeTrue();
        token.ProjectId.ShouldBeNull();
        token.ProjectName.ShouldBeNull();
        token.UserId.ShouldBe("admin-id");
        token.Roles.ShouldBe(["admin", "member", "reader"], ignoreOrder: true);
    }

    [Fact]
    public async Task ValidateAsync_UnknownToken_IsInvalidWithoutQuotingTheToken()
    {
        await using var h = await ValidatorHarness.StartAsync();

        var result = await h.ValidateAsync("gAAAAABnot-a-real-token");

        var invalid = result.ShouldBeOfType<TokenValidation.Invalid>();
        invalid.Reason.ShouldBe("Keystone does not know the token, or it has expired or been revoked");
        h.Keystone.Validations.ShouldBe(1);
        h.Logs.Lines.ShouldAllBe(line => !line.Message.Contains("gAAAAABnot-a-real-token"));
    }

    [Fact]
    public async Task ValidateAsync_TokenExpiredByKilnsClock_IsInvalid()
    {
        await using var h = await ValidatorHarness.StartAsync();
        var expiredAt = h.Time.GetUtcNow().AddSeconds(-1);
        h.Keystone.AddToken("tok-old", () => KeystoneTokens.ProjectScoped(expiredAt));

        var result = await h.ValidateAsync("tok-old");

        result.ShouldBe(new TokenValidation.Invalid("the token has expired"));
    }

    [Theory]
    [InlineData("", "no token")]
    [InlineData("   ", "no token")]
    [InlineData("two words", "the token contains characters no Keystone token has")]
    [InlineData("t\u00f6ken", "the token contains characters no Keystone token has")]
    [InlineData("tok\tab", "the token contains characters no Keystone token has")]
    public async Task ValidateAsync_NotAToken_IsInvalidWithoutAskingKeystone(string token, string reason)
    {
        await using var h = await ValidatorHarness.StartAsync();

        var result = await h.ValidateAsync(token);

        result.ShouldBe(new TokenValidation.Invalid(reason));
        h.Keystone.Logins.ShouldBe(0);
        h.Keystone.Validations.ShouldBe(0);
    }

    [Fact]
    public async Task ValidateAsync_OverlongToken_IsInvalidWithoutAskingKeystone()
    {
        await using var h = await ValidatorHarness.StartAsync();

        var result = await h.ValidateAsync(new string('a', SubjectTokenCheck.MaxLength + 1));

        result.ShouldBe(new TokenValidation.Invalid("the token is longer than 8192 characters"));
        h.Keystone.Validations.ShouldBe(0);
    }

    [Fact]
    public async Task ValidateAsync_TokenWithSurroundingWhitespace_IsTrimmedAsKeystonemiddlewareDoes()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");

        var result = await h.ValidateAsync(" tok-1 \t");

        result.ShouldBeOfType<TokenValidation.Valid>();
    }

    [Fact]
    public async Task ValidateAsync_FirstCall_LogsInWithThePasswordMethodScopedToTheProjectAndAsksWithoutCatalog()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");

        await h.ValidateAsync("tok-1");

        var auth = h.Keystone.LastLogin.ShouldNotBeNull().GetProperty("auth");
        auth.GetProperty("identity").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["password"]);
        var user = auth.GetProperty("identity").GetProperty("password").GetProperty("user");
        user.GetProperty("name").GetString().ShouldBe(FakeKeystone.User);
        user.GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
        user.GetProperty("domain").TryGetProperty("id", out _).ShouldBeFalse();
        var project = auth.GetProperty("scope").GetProperty("project");
        project.GetProperty("name").GetString().ShouldBe(FakeKeystone.Project);
        project.GetProperty("domain").GetProperty("name").GetString().ShouldBe("Default");
        h.Keystone.ServiceTokensSeen.ShouldBe(["svc-1"]);
        h.Keystone.Queries.ShouldBe(["?nocatalog", "?nocatalog"]);
    }

    [Fact]
    public async Task ValidateAsync_KeystoneForbidsTheServiceUser_IsUnavailableNamingIt()
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.Keystone.Script(HttpStatusCode.Forbidden);

        var result = await h.ValidateAsync("tok-1");

        result.ShouldBe(new TokenValidation.Unavailable(
            "Keystone answered 403 Forbidden to a token validation: Kiln's service user kiln may lack the service or admin role in project service"));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "500 InternalServerError")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "503 ServiceUnavailable")]
    [InlineData(HttpStatusCode.BadRequest, "400 BadRequest")]
    public async Task ValidateAsync_KeystoneError_IsUnavailableAndNotCached(HttpStatusCode status, string text)
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.AddToken("tok-1");
        h.Keystone.Script(status);

        var first = await h.ValidateAsync("tok-1");
        var second = await h.ValidateAsync("tok-1");

        first.ShouldBe(new TokenValidation.Unavailable($"Keystone answered {text} to a token validation"));
        second.ShouldBeOfType<TokenValidation.Valid>();
        h.Keystone.Validations.ShouldBe(2);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"token": {"expires_at": "2027-01-01T00:00:00.000000Z"}}""")]
    [InlineData("""{"token": {"user": {"id": "u-1"}}}""")]
    [InlineData("""{"error": "surprise"}""")]
    public async Task ValidateAsync_UnreadableTokenBody_IsUnavailable(string body)
    {
        await using var h = await ValidatorHarness.StartAsync();
        h.Keystone.AddToken("tok-1", () => body);

        var result = await h.ValidateAsync("tok-1");

        result.ShouldBeOfType<TokenValidation.Unavailable>().Reason.ShouldStartWith("Keystone's answer to a token validation");
    }
}
