using System.Net;
using Kiln.Server.Configuration;
using Kiln.Server.Identity;
using Kiln.Server.Policy;

namespace Kiln.Server.Dashboard;

/// <summary>
/// The dashboard's identity is the API's: the same authenticator (<c>auth_strategy</c>) and policy.
/// Under Keystone the token comes from the login cookie (or an <c>X-Auth-Token</c> header) and the
/// caller must be an administrator (policy's <c>context_is_admin</c>); a missing or refused token leads
/// to the login form. Under noauth every caller would be an administrator, so the dashboard answers
/// loopback callers only (a browser on this machine), whatever <c>osapi_volume_listen</c> says.
/// </summary>
internal static class DashboardAccess
{
    /// <summary>The login cookie: the Keystone token, HttpOnly and SameSite=Strict, scoped to /dashboard.</summary>
    public const string TokenCookie = "kiln_dashboard_token";

    public static bool UsesKeystone(HttpContext http) =>
        http.RequestServices.GetRequiredService<KilnConfiguration>().Identity.Keystone is not null;

    /// <summary>The caller, or the answer that refuses them (login redirect, 403 or 503 page).</summary>
    public static async Task<(DashboardCaller? Caller, IResult? Refusal)> CheckAsync(HttpContext http)
    {
        var keystone = UsesKeystone(http);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Kiln.Dashboard");
        if (!keystone && !IsLoopback(http.Connection.RemoteIpAddress))
        {
            Log.RefusedRemote(logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return (null, DashboardPage.Message(
                StatusCodes.Status403Forbidden,
                "Loopback only",
                "With auth_strategy = noauth every caller would be an administrator, so the dashboard answers only requests from this machine (a loopback address). Use Keystone (auth_strategy = keystone) to open it from elsewhere."));
        }

        var token = http.Request.Cookies[TokenCookie];
        if (!string.IsNullOrEmpty(token))
        {
            http.Request.Headers["X-Auth-Token"] = token;
        }
        else if (keystone && string.IsNullOrEmpty(http.Request.Headers["X-Auth-Token"].ToString()))
        {
            return (null, ToLogin(http));
        }

        var authenticator = http.RequestServices.GetRequiredService<IRequestAuthenticator>();
        var outcome = await authenticator.AuthenticateAsync(http.Request, null, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case AuthenticationOutcome.Unavailable unavailable:
                return (null, DashboardPage.Message(StatusCodes.Status503ServiceUnavailable, "Identity service unavailable", unavailable.Message));
            case AuthenticationOutcome.Unauthenticated:
                http.Response.Cookies.Delete(TokenCookie, new CookieOptions { Path = "/dashboard" });
                return (null, ToLogin(http));
        }

        var context = ((AuthenticationOutcome.Authenticated)outcome).Context;
        if (!context.IsAdmin)
        {
            Log.RefusedNotAdmin(logger, context.UserId, context.ProjectId);
            return (null, DashboardPage.Message(
                StatusCodes.Status403Forbidden,
                "Administrator required",
                $"User {context.UserId} in project {context.ProjectId} is not an administrator (the admin role, policy rule context_is_admin). The dashboard shows every backend and every project's problems, so it is for administrators only."));
        }

        var authorizer = http.RequestServices.GetRequiredService<RequestAuthorizer>();
        return (new DashboardCaller(context, authorizer.Allows(context, KilnPolicyRules.ServicesReinit), SignedIn: !string.IsNullOrEmpty(token) && keystone), null);
    }

    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>To the login form: a redirect for a page, htmx's own redirect header for a fragment (a 302 would be swapped in).</summary>
    private static IResult ToLogin(HttpContext http)
    {
        if (!UsesKeystone(http))
        {
            return DashboardPage.Message(StatusCodes.Status401Unauthorized, "Not signed in", "The token was refused.");
        }

        if (http.Request.Headers.ContainsKey("HX-Request"))
        {
            http.Response.Headers["HX-Redirect"] = "/dashboard/login";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        return Results.Redirect("/dashboard/login");
    }
}
