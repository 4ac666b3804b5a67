namespace Kiln.Server.Configuration;

/// <summary>How log lines are written (<c>log_format</c>).</summary>
public enum KilnLogFormat
{
    /// <summary>Human-readable lines.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
