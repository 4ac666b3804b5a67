namespace Kiln.Core.Drivers;

/// <summary>A volume type's encryption as Cinder's <c>encryption</c> table keeps it, handed to the driver at create.</summary>
public sealed record VolumeEncryption(string Provider, string? Cipher, int? KeySize, string ControlLocation);
