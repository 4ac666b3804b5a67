using System.Globalization;
using System.Text;
using Kiln.Server.Identity;
using Kiln.Server.Identity.Keystone;
using Microsoft.AspNetCore.Antiforgery;

namespace Kiln.Server.Dashboard;

/// <summary>
/// Sign-in under Keystone: Keystone credentials (user, password, project, domains) are exchanged for a
/// token with Keystone's own <c>POST /v3/auth/tokens</c>, or a token is pasted; the token is kept in an
/// HttpOnly, SameSite=Strict cookie scoped to <c>/dashboard</c> (script cannot read it, other sites cannot
/// send it), and checked on every request like an <c>X-Auth-Token</c>. Kiln never stores the password.
/// </summary>
internal static class DashboardLogin
{
    public static void Map(RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("/login", Form);
        dashboard.MapPost("/login", SignInAsync);
        dashboard.MapPost("/logout", SignOutAsync);
    }

    private static IResult Form(HttpContext http, IAntiforgery antiforgery) => Page(http, antiforgery, StatusCodes.Status200OK, error: null);

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (!DashboardAccess.UsesKeystone(http))
        {
            return DashboardPage.Message(StatusCodes.Status404NotFound, "No sign-in", "With auth_strategy = noauth there is nothing to sign in to: the dashboard answers loopback callers.");
        }

        if (await DashboardSetup.RefuseWithoutAntiforgeryAsync(http, antiforgery).ConfigureAwait(false) is { } forged)
        {
            return forged;
        }

        var logger = loggers.CreateLogger("Kiln.Dashboard");
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var token = form["token"].ToString().Trim();
        var user = form["username"].ToString().Trim();
        if (token.Length == 0)
        {
            var password = form["password"].ToString();
            var project = form["project"].ToString().Trim();
            if (user.Length == 0 || password.Length == 0 || project.Length == 0)
            {
                return Page(http, antiforgery, StatusCodes.Status400BadRequest, "Give a user name, password and project, or a token.");
            }

            var client = http.RequestServices.GetRequiredService<KeystoneClient>();
            KeystoneAnswer answer;
            try
            {
                answer = await client.IssueTokenAsync(
                    PasswordAuthRequest.ForUser(user, password, Or(form["user_domain"], "Default"), project, Or(form["project_domain"], "Default")),
                    http.RequestAborted).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                Log.SignInUnavailable(logger, ex);
                return Page(http, antiforgery, StatusCodes.Status503ServiceUnavailable, "Keystone could not be reached; try again.");
            }

            if (!answer.IsSuccess || answer.SubjectToken is null)
            {
                Log.SignInRefused(logger, user, $"Keystone answered {answer.StatusText}");
                return Page(http, antiforgery, StatusCodes.Status401Unauthorized, "Keystone refused these credentials.");
            }

            token = answer.SubjectToken;
        }

        // The same check as every later request: a valid token of an administrator.
        http.Request.Headers["X-Auth-Token"] = token;
        var outcome = await http.RequestServices.GetRequiredService<IRequestAuthenticator>().AuthenticateAsync(http.Request, null, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case AuthenticationOutcome.Authenticated { Context.IsAdmin: true } admin:
                http.Response.Cookies.Append(DashboardAccess.TokenCookie, token, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = http.Request.IsHttps,
                    Path = "/dashboard",
                    IsEssential = true,
                });
                Log.SignedIn(logger, admin.Context.UserId, admin.Context.ProjectId);
                return Results.Redirect("/dashboard");
            case AuthenticationOutcome.Authenticated other:
                Log.SignInRefused(logger, other.Context.UserId, "not an administrator");
                return DashboardPage.Message(
                    StatusCodes.Status403Forbidden,
                    "Administrator required",
                    $"User {other.Context.UserId} in project {other.Context.ProjectId} is not an administrator (the admin role, policy rule context_is_admin).");
            case AuthenticationOutcome.Unavailable unavailable:
                return Page(http, antiforgery, StatusCodes.Status503ServiceUnavailable, unavailable.Message);
            default:
                Log.SignInRefused(logger, user.Length == 0 ? "(token)" : user, "token refused");
                return Page(http, antiforgery, StatusCodes.Status401Unauthorized, "Keystone refused this token.");
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (await DashboardSetup.RefuseWithoutAntiforgeryAsync(http, antiforgery).ConfigureAwait(false) is { } forged)
        {
            return forged;
        }

        http.Response.Cookies.Delete(DashboardAccess.TokenCookie, new CookieOptions { Path = "/dashboard" });
        return Results.Redirect("/dashboard/login");
    }

    private static string Or(Microsoft.Extensions.Primitives.StringValues value, string fallback) =>
        value.ToString().Trim() is { Length: > 0 } text ? text : fallback;

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, int status, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = new StringBuilder();
        DashboardPage.Open(html, "Kiln dashboard: sign in", null, DateTimeOffset.UnixEpoch);
        html.Append("""<main id="main" class="narrow"><h1>Sign in to the Kiln dashboard</h1>""");
        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="refusal" role="alert">{Html.E(error)}</p>""");
        }

        html.Append("""<p>With your Keystone credentials (an administrator's), or paste a token.</p><form method="post" action="/dashboard/login" class="login">""");
        html.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{Html.E(tokens.FormFieldName)}" value="{Html.E(tokens.RequestToken)}">""");
        Field(html, "username", "User name", "text", "username");
        Field(html, "password", "Password", "password", "current-password");
        Field(html, "project", "Project", "text", "off");
        html.Append("""<details><summary>Domains and token</summary>""");
        Field(html, "user_domain", "User domain (default: Default)", "text", "off");
        Field(html, "project_domain", "Project domain (default: Default)", "text", "off");
        Field(html, "token", "Or a token (openstack token issue)", "password", "off");
        html.Append("""</details><button type="submit">Sign in</button></form></main>""");
        DashboardPage.Close(html);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html.ToString(), DashboardPage.HtmlType, Encoding.UTF8, status);
    }

    private static void Field(StringBuilder html, string name, string label, string type, string autocomplete) =>
        html.Append(CultureInfo.InvariantCulture, $"""<p><label for="{name}">{Html.E(label)}</label><input id="{name}" name="{name}" type="{type}" autocomplete="{autocomplete}"></p>""");
}
