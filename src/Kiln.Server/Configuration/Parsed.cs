namespace Kiln.Server.Configuration;

/// <summary>The outcome of parsing one option value: the value, or what was expected instead.</summary>
internal readonly record struct Parsed<T>(T Value, string? Expected)
{
    public bool IsValid => Expected is null;

    public static Parsed<T> Ok(T value) => new(value, null);

    public static Parsed<T> Invalid(string expected) => new(default!, expected);
}
