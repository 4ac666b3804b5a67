namespace Kiln.Server.Volumes;

/// <summary>Why a request was refused, mapped to Cinder's status codes by the API.</summary>
public enum Refusal
{
    BadRequest = 400,
    NotFound = 404,
    Conflict = 409,

    /// <summary>Over a quota (Cinder's QuotaError: <c>overLimit</c> with <c>retryAfter</c>).</summary>
    OverLimit = 413,

    /// <summary>The driver failed a call the API waited for (Cinder answers 500 here too).</summary>
    ServerError = 500,
}

/// <summary>The result of a request: the value, or a refusal with a message for the user.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refused, string? Message)
{
    public bool Succeeded => Refused is null;

    public static implicit operator Outcome<T>(T value) => new(value, null, null);

#pragma warning disable CA1000 // A factory on the generic type reads best at the call site: Outcome<Volume>.Refuse(...).
    public static Outcome<T> Refuse(Refusal refusal, string message) => new(default, refusal, message);
#pragma warning restore CA1000
}
