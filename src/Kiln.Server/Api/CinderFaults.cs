using Kiln.Server.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace Kiln.Server.Api;

/// <summary>
/// Cinder's FaultWrapper for the whole pipeline: whatever goes wrong once Kestrel has handed the
/// request over is answered with Cinder's JSON fault body
/// (<c>{"computeFault": {"code": 500, "message": "…"}}</c>) and the request id, never with an empty
/// body. It covers three kinds of error the endpoints never see:
/// <list type="bullet">
/// <item>an exception escaping an endpoint or middleware (SQLite malformed, disk full, a lock timeout):
/// logged with the exception, answered 500 with webob's wording, which says nothing of the cause (as
/// Cinder, which leaves the explanation out so that no internal detail reaches a user);</item>
/// <item>Kestrel's refusals raised while the body is read (<see cref="BadHttpRequestException"/>): a
/// body over <c>max_request_body_size</c> (413), a body that stalls (408), broken chunking (400);</item>
/// <item>answers written without a body by the framework: no route (404), a route without that method
/// (405), a parameter that does not bind (400).</item>
/// </list>
/// Kestrel's own refusals of a request line or headers it cannot parse happen before any middleware
/// and keep Kestrel's empty body; docs/api.md lists them.
/// </summary>
internal sealed class CinderFaults(RequestDelegate next, KilnConfiguration configuration, ILogger<CinderFaults> logger)
{
    /// <summary>webob's explanation of a 500, which Cinder's FaultWrapper sends for any unexpected exception.</summary>
    public const string ServerErrorMessage = "The server has either erred or is incapable of performing the requested operation.";

    /// <summary>The answer while the disk under the database is full: the request's write was rolled back.</summary>
    public const string DiskFullMessage = "Kiln cannot write to its database: disk full. The request was not carried out; try again once space is freed.";

    /// <summary>The answer while the database server cannot be reached.</summary>
    public const string DatabaseUnavailableMessage = "Kiln cannot reach its database. The request was not carried out; try again later.";

    /// <summary>The answer while the message broker cannot take a request's message; the request's claim was undone.</summary>
    public const string MessagingUnavailableMessage = "Kiln cannot reach its message service (RabbitMQ). The request was not carried out; try again later.";

    private const string DiskFull = "disk full";
    private const string DiskFullRetryAfterSeconds = "5";

    /// <summary>
    /// The longest request target (path and query) answered; longer ones are 414. It is the limit of
    /// Cinder's eventlet server and Kestrel's default. Kestrel's own line limit is raised to
    /// <see cref="KestrelRequestLineLimit"/> so that a long URL reaches this check and gets a JSON body.
    /// </summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>Kestrel's request line limit (no more than its 32 KiB header limit): beyond it Kestrel answers 414 itself, with an empty body.</summary>
    public const int KestrelRequestLineLimit = 32 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (target.Length > MaxRequestTargetLength)
        {
            await RefuseAsync(http, StatusCodes.Status414UriTooLong, $"The request URL is {target.Length} characters long, more than {MaxRequestTargetLength}.").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            await RefuseAsync(http, ex.StatusCode, Explain(ex)).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: there is nobody to answer, and nothing went wrong on this side.
            return;
        }
        catch (Exception ex) when (!http.Response.HasStarted && Health.DatabaseWriteHealth.Describe(ex) == DiskFull)
        {
            // Not a fault of Kiln's but a full disk under its database: the write was rolled back and the
            // request refused. 503 with Retry-After says so, as readiness does, where a 500 would say "bug".
            FaultLog.DatabaseFull(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), ex);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = DiskFullRetryAfterSeconds;
            await CinderError.Result(StatusCodes.Status503ServiceUnavailable, DiskFullMessage).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (!http.Response.HasStarted && DatabaseAway(ex))
        {
            // The database server (PostgreSQL) cannot be reached: nothing was written, and another try may
            // find it (or another API node) back. 503 with Retry-After, as readiness says, not a 500.
            // A query cut off by the server shutting down (57P01) or by the lost connection (08xxx) is the
            // same outage seen a moment earlier: the failover tests saw a PostgreSQL restart answer 500.
            FaultLog.DatabaseUnavailable(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), ex);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = DiskFullRetryAfterSeconds;
            await CinderError.Result(StatusCodes.Status503ServiceUnavailable, DatabaseUnavailableMessage).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        catch (Messaging.MessagingUnavailableException ex) when (!http.Response.HasStarted)
        {
            // The broker cannot take the message: the service that refused it undid its claim, so the
            // request changed nothing and may simply be sent again, here or to another API node.
            FaultLog.MessagingUnavailable(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), ex);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = DiskFullRetryAfterSeconds;
            await CinderError.Result(StatusCodes.Status503ServiceUnavailable, MessagingUnavailableMessage).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            FaultLog.Unhandled(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), ex);
            http.Response.Clear();
            await CinderError.Result(StatusCodes.Status500InternalServerError, ServerErrorMessage).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            // Part of the answer is on its way: it cannot become a fault any more, and Kestrel
            // aborts the connection so that the client does not take a truncated body for a whole one.
            FaultLog.UnhandledAfterStart(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), ex);
            throw;
        }

        if (IsBareError(http))
        {
            await CinderError.Result(http.Response.StatusCode, DefaultMessage(http)).ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    private static bool DatabaseAway(Exception exception) =>
        Health.DatabaseWriteHealth.Describe(exception) is Health.DatabaseWriteHealth.DatabaseUnavailable or "database shutting down" or "connection lost";

    /// <summary>An error status with nothing written and no content type set: the framework's own answer.</summary>
    private static bool IsBareError(HttpContext http)
    {
        var response = http.Response;
        return response.StatusCode >= StatusCodes.Status400BadRequest
            && !response.HasStarted
            && response.ContentType is null
            && response.ContentLength is null or 0
            && !HttpMethods.IsHead(http.Request.Method);
    }

    private static string DefaultMessage(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status404NotFound => "The resource could not be found.",
        StatusCodes.Status405MethodNotAllowed => $"The method {http.Request.Method} is not allowed for this resource.",
        var status => ReasonPhrase(status),
    };

    private string Explain(BadHttpRequestException ex) => ex.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => $"Request is too large: the body may be at most {configuration.Api.MaxRequestBodySize} bytes.",
        StatusCodes.Status408RequestTimeout => "Request timed out: the request body arrived too slowly.",
        _ => $"The request is malformed: {ex.Message}",
    };

    private async Task RefuseAsync(HttpContext http, int status, string message)
    {
        FaultLog.RequestRejected(logger, http.Request.Method, http.Request.Path.ToString(), RequestId.Of(http), status, message);
        http.Response.Clear();

        // The request may be unread (a body too large or too slow): the connection cannot be reused.
        http.Response.Headers.Connection = "close";
        await CinderError.Result(status, message).ExecuteAsync(http).ConfigureAwait(false);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? $"{phrase}." : $"HTTP {status}.";
}
