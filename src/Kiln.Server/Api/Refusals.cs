using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>Maps the volume service's refusals and the API's own 400s to Cinder's error bodies.</summary>
internal static class Refusals
{
    public static IResult From<T>(Outcome<T> outcome) => outcome.Refused == Refusal.OverLimit
        ? new OverLimitResult(outcome.Message ?? "Quota exceeded.")
        : CinderError.Result((int)(outcome.Refused ?? Refusal.BadRequest), outcome.Message ?? "The request was refused.");

    public static IResult BadRequest(string message) => CinderError.Result(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message) => CinderError.Result(StatusCodes.Status404NotFound, message);

    public static IResult Conflict(string message) => CinderError.Result(StatusCodes.Status409Conflict, message);
}
