using Kiln.Cli.Client;

namespace Kiln.Cli.Commands.Services;

/// <summary>
/// What <c>kiln service show</c> knows of one backend: its os-services entry with Kiln's lifecycle fields,
/// and its initialization attempts by outcome since the server started (null when /metrics does not say).
/// </summary>
internal sealed record ServiceDetails(ServiceRecord Service, IReadOnlyDictionary<string, long>? InitAttempts);
