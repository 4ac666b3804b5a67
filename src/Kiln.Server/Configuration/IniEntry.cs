namespace Kiln.Server.Configuration;

/// <summary>One option of an INI section: its name as written, its value, and the line it starts on.</summary>
internal sealed record IniEntry(string Key, string Value, int Line);
