using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// Holds requests until the database start-up is done, so the API can listen from the first moment:
/// a request that arrives early is answered as soon as the database is ready (well under a second on
/// the embedded SQLite database) instead of being refused. Endpoints that never touch the database
/// (liveness, readiness, the versions documents) are marked <see cref="WithoutDatabase"/> and answer at once.
/// </summary>
internal static class DatabaseStartupGate
{
    /// <summary>How long a request waits for a database that is still starting before it gets 503.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static IApplicationBuilder UseDatabaseStartupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var startup = context.RequestServices.GetRequiredService<DatabaseStartup>();
        if (!startup.IsComplete && context.GetEndpoint()?.Metadata.GetMetadata<DatabaseNotNeeded>() is null)
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            try
            {
                await startup.WaitAsync(CancellationToken.None).WaitAsync(MaxWait, time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await Refuse(context, $"Kiln is starting and its database is not ready after {MaxWait.TotalSeconds:0} s; try again.").ConfigureAwait(false);
                return;
            }
            catch (Exception) when (startup.Failure is { } failure)
            {
                await Refuse(context, $"Kiln cannot serve: its database start-up failed ({failure.Message}).").ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });

    /// <summary>Marks endpoints that answer without the database, so they answer while it starts.</summary>
    public static TBuilder WithoutDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(DatabaseNotNeeded.Instance);

    private static Task Refuse(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return CinderError.Result(StatusCodes.Status503ServiceUnavailable, message).ExecuteAsync(context);
    }

    private sealed class DatabaseNotNeeded
    {
        public static readonly DatabaseNotNeeded Instance = new();
    }
}
