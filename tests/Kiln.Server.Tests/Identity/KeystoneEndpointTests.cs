using System.Net;
using Kiln.Server.Configuration;
using Kiln.Server.Identity.Keystone;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Timeout;

namespace Kiln.Server.Tests.Identity;

public sealed class KeystoneEndpointTests
{
    [Theory]
    [InlineData("http://keystone:5000", "http://keystone:5000/v3/auth/tokens?nocatalog")]
    [InlineData("http://keystone:5000/", "http://keystone:5000/v3/auth/tokens?nocatalog")]
    [InlineData("http://keystone:5000/v3", "http://keystone:5000/v3/auth/tokens?nocatalog")]
    [InlineData("https://cloud.example/identity", "https://cloud.example/identity/v3/auth/tokens?nocatalog")]
    [InlineData("https://cloud.example/identity/V3/", "https://cloud.example/identity/V3/auth/tokens?nocatalog")]
    public void Tokens_AuthUrlUnversionedOrV3_PointsAtTheV3TokensResource(string authUrl, string expected)
    {
        KeystoneEndpoint.Tokens(new Uri(authUrl)).ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.OK, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    public void IsTransient_Status_RetriesOnly5xx(HttpStatusCode status, bool transient)
    {
        using var response = new HttpResponseMessage(status);

        KeystoneHttp.IsTransient(Outcome.FromResult(response)).ShouldBe(transient);
    }

    [Fact]
    public void IsTransient_Exceptions_RetriesFailuresToGetAnAnswerOnly()
    {
        KeystoneHttp.IsTransient(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"))).ShouldBeTrue();
        KeystoneHttp.IsTransient(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException())).ShouldBeTrue();
        KeystoneHttp.IsTransient(Outcome.FromException<HttpResponseMessage>(new InvalidOperationException())).ShouldBeFalse();
    }

    [Fact]
    public void PasswordAuthRequest_DomainIds_WinOverNamesAndThePasswordIsNeverPrinted()
    {
        var request = PasswordAuthRequest.For(Options());

        request.Auth.Identity.Password.User.Domain.ShouldBe(new KeystoneDomain("ud-1", null));
        request.Auth.Scope.Project.Domain.ShouldBe(new KeystoneDomain("pd-1", null));
        request.ToString().ShouldNotContain("s3cret");
        request.ToString().ShouldContain("Password = ***");
    }

    [Fact]
    public void AddKeystoneTokenValidation_Resolves_OneValidatorBehindTheInterface()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddKeystoneTokenValidation(Options());
        using var provider = services.BuildServiceProvider();

        var validator = provider.GetRequiredService<ITokenValidator>();

        validator.ShouldBeOfType<KeystoneTokenValidator>();
        provider.GetRequiredService<ITokenValidator>().ShouldBeSameAs(validator);
        provider.GetRequiredService<TimeProvider>().ShouldBe(TimeProvider.System);
    }

    private static KeystoneOptions Options() => new()
    {
        AuthUrl = new Uri("http://keystone:5000"),
        WwwAuthenticateUri = "http://keystone:5000",
        Username = "kiln",
        Password = "s3cret",
        ProjectName = "service",
        UserDomainId = "ud-1",
        ProjectDomainId = "pd-1",
    };
}
