namespace Kiln.Core.Drivers;

/// <summary>
/// A volume's data as one driver hands it to another for a migration: where it is (a local file path for
/// the file driver), its format (<c>raw</c>, <c>qcow2</c>, or a driver's own word) and its size in bytes.
/// </summary>
public sealed record VolumeImage(string Location, string Format, long SizeBytes);
