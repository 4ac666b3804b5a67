using System.Net;
using Kiln.Server.Configuration;
using Kiln.Server.Hosting;
using Kiln.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Dashboard.Tests;

/// <summary>
/// The dashboard under <c>auth_strategy = keystone</c>, in process: Keystone's answers are stood in for
/// by an authenticator that knows two tokens (<c>admin-token</c>, <c>member-token</c>).
/// </summary>
public sealed class DashboardIdentityTests(KeystoneDashboardApp app) : IClassFixture<KeystoneDashboardApp>
{
    private Uri Address => app.Address;

    [Fact]
    public async Task Dashboard_NoToken_RedirectsToLoginForm()
    {
        using var client = Client(token: null);
        using var response = await client.GetAsync(new Uri(Address, "/dashboard"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/dashboard/login");

        using var login = await client.GetAsync(new Uri(Address, "/dashboard/login"), TestContext.Current.CancellationToken);
        var form = await login.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        form.ShouldContain("<label for=\"username\">");
        form.ShouldContain("name=\"__RequestVerificationToken\"");
    }

    [Fact]
    public async Task Dashboard_MemberToken_Refused403()
    {
        using var client = Client("member-token");
        using var response = await client.GetAsync(new Uri(Address, "/dashboard"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Administrator required");
    }

    [Fact]
    public async Task Dashboard_AdminToken_ShowsBackendsAndRefusesPostWithoutAntiforgeryToken()
    {
        using var client = Client("admin-token");
        using var page = await client.GetAsync(new Uri(Address, "/dashboard"), TestContext.Current.CancellationToken);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.ShouldContain("data-host=\"node@one\"");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");

        // A form posted from another site carries the cookie (were it not SameSite) but not the page's token.
        using var forged = await client.PostAsync(
            new Uri(Address, "/dashboard/reinit"), new FormUrlEncodedContent([new("host", "node@one")]), TestContext.Current.CancellationToken);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("antiforgery token");
    }

    [Fact]
    public async Task Login_AdminTokenWithThePagesAntiforgeryToken_SetsHttpOnlyStrictCookie()
    {
        using var client = Client(token: null);
        using var form = await client.GetAsync(new Uri(Address, "/dashboard/login"), TestContext.Current.CancellationToken);
        var csrfCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kiln_dashboard_csrf=", StringComparison.Ordinal)).Split(';')[0];
        var html = await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var requestToken = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/dashboard/login"))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", requestToken), new("token", "admin-token")]),
        };
        request.Headers.Add("Cookie", csrfCookie);
        using var signedIn = await client.SendAsync(request, TestContext.Current.CancellationToken);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kiln_dashboard_token=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        cookie.ShouldContain("path=/dashboard", Case.Insensitive);

        // A member's token is refused at the door: no cookie, the 403 page.
        using var member = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/dashboard/login"))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", requestToken), new("token", "member-token")]),
        };
        member.Headers.Add("Cookie", csrfCookie);
        using var refused = await client.SendAsync(member, TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task Dashboard_Assets_ServedWithoutSignIn()
    {
        using var client = Client(token: null);
        using var htmx = await client.GetAsync(new Uri(Address, "/dashboard/static/htmx.min.js"), TestContext.Current.CancellationToken);
        htmx.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await htmx.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("htmx");
        using var missing = await client.GetAsync(new Uri(Address, "/dashboard/static/nothing.js"), TestContext.Current.CancellationToken);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static HttpClient Client(string? token)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        var client = new HttpClient(handler);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"kiln_dashboard_token={token}");
        }

        return client;
    }
}

/// <summary>One Kiln application under <c>auth_strategy = keystone</c> for the class, with <see cref="TwoTokens"/> standing in for Keystone.</summary>
public sealed class KeystoneDashboardApp : IAsyncLifetime
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-dashboard-identity-");
    private WebApplication? app;
    

    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(path, $"""
            [DEFAULT]
            host = node
            state_path = {dir.FullName}/data
            osapi_volume_listen_port = 0
            auth_strategy = keystone
            enabled_backends = one

            [one]
            volume_driver = fault

            [keystone_authtoken]
            auth_url = http://127.0.0.1:9/v3
            username = kiln
            password = secret
            project_name = service
            """);
        var configuration = KilnConfigurationLoader.Load(path, new Dictionary<string, string>());
        app = KilnApp.Build(configuration, services => services.Replace(ServiceDescriptor.Singleton<IRequestAuthenticator, TwoTokens>()));
        await app.StartAsync();
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        dir.Delete(recursive: true);
    }

    /// <summary>Keystone's verdicts on two tokens; any other is refused.</summary>
    internal sealed class TwoTokens : IRequestAuthenticator
    {
        public string? Challenge => "Keystone uri=\"http://127.0.0.1:9/v3\"";

        public ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, string? urlProject, CancellationToken cancellationToken)
        {
            AuthenticationOutcome outcome = request.Headers["X-Auth-Token"].ToString() switch
            {
                "admin-token" => new AuthenticationOutcome.Authenticated(new RequestContext("alice", "admin-project", new HashSet<string>(["admin", "member", "reader"]), IsAdmin: true)),
                "member-token" => new AuthenticationOutcome.Authenticated(new RequestContext("bob", "demo", new HashSet<string>(["member", "reader"]), IsAdmin: false)),
                _ => new AuthenticationOutcome.Unauthenticated("The request you have made requires authentication."),
            };
            return ValueTask.FromResult(outcome);
        }
    }
}
