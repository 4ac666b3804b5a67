namespace Kiln.Server.Api;

/// <summary>
/// Cinder's answer to a QuotaError: 413 with <c>Retry-After: 0</c> and
/// <c>{"overLimit": {"code": 413, "message": "…", "retryAfter": "0"}}</c>.
/// </summary>
internal sealed class OverLimitResult(string message) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.RetryAfter = "0";
        var fault = new Dictionary<string, object> { ["code"] = StatusCodes.Status413PayloadTooLarge, ["message"] = message, ["retryAfter"] = "0" };
        var body = new Dictionary<string, object> { [CinderError.FaultName(StatusCodes.Status413PayloadTooLarge)] = fault };
        return Results.Json(body, statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(httpContext);
    }
}
