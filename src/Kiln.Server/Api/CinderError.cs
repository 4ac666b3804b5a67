namespace Kiln.Server.Api;

/// <summary>Errors in Cinder's shape: <c>{"itemNotFound": {"code": 404, "message": "…"}}</c>.</summary>
internal static class CinderError
{
    /// <summary>The fault name Cinder uses for a status code.</summary>
    public static string FaultName(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    };

    public static IResult Result(int status, string message) =>
        Results.Json(Body(status, message), statusCode: status);

    public static Dictionary<string, object> Body(int status, string message) =>
        new() { [FaultName(status)] = new Dictionary<string, object> { ["code"] = status, ["message"] = message } };
}
