namespace Kiln.Server.Configuration;

/// <summary>
/// One option's value after environment overrides, with where it came from (<c>file:line</c> or
/// <c>environment variable NAME</c>) so a message can send the operator to the right place.
/// </summary>
internal sealed record ConfiguredOption(string Name, string Value, string Origin);
