using Kiln.Server.Api;
using Kiln.Server.Configuration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Kiln.Server.Dashboard;

/// <summary>Registers the operator's dashboard (<c>/dashboard</c>) and what it needs: the state history, antiforgery, its assets.</summary>
internal static class DashboardSetup
{
    /// <summary>The header htmx sends the antiforgery token in (the page puts it in <c>hx-headers</c>).</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Registers the dashboard's services; the history recorder must be added before the backend loops start.</summary>
    public static IServiceCollection AddKilnDashboard(this IServiceCollection services, KilnConfiguration configuration)
    {
        services.AddSingleton(sp => new BackendHistory(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<BackendHistoryRecorder>();
        services.AddSingleton<DashboardData>();
        services.AddSingleton<DashboardProblems>();

        // Antiforgery tokens are protected with keys kept under the data directory, so a restart does not
        // invalidate the page an operator has open. The keys protect nothing but those tokens and sit next
        // to the database, so the warning that they are stored unencrypted is noise at every start.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        services.AddDataProtection()
            .SetApplicationName("kiln-dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(configuration.StatePath, "dashboard-keys")));

        services.AddAntiforgery(options =>
        {
            options.HeaderName = CsrfHeader;
            options.Cookie.Name = "kiln_dashboard_csrf";
            options.Cookie.Path = "/dashboard";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });

        // The key ring loads when the dashboard first needs it, not at start-up: its hosted service (added
        // by AddDataProtection, again by AddAntiforgery) read or created the keys before the API listened,
        // about 100 ms of every start on a small machine.
        var keyRingAtStart = services.SingleOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService");
        if (keyRingAtStart is not null)
        {
            services.Remove(keyRingAtStart);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapKilnDashboard(this IEndpointRouteBuilder app)
    {
        var dashboard = app.MapGroup("/dashboard").AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;

            // Only its own scripts and stylesheet; never inside a frame (the re-init button must not be clickjacked).
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return await next(context).ConfigureAwait(false);
        });
        DashboardEndpoints.Map(dashboard);
        DashboardLogin.Map(dashboard);
        dashboard.MapGet("/static/{file}", DashboardAssets.Serve).WithoutDatabase();
        return app;
    }

    /// <summary>400 when a POST lacks a valid antiforgery token (a form or script of another site); null when it is valid.</summary>
    public static async Task<IResult?> RefuseWithoutAntiforgeryAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            return null;
        }
        catch (AntiforgeryValidationException ex)
        {
            Log.AntiforgeryRefused(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Kiln.Dashboard"), ex);
            return DashboardPage.Message(StatusCodes.Status400BadRequest, "Request refused", "The request did not carry this page's antiforgery token; reload the dashboard and try again.");
        }
    }
}
