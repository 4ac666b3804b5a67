namespace Kiln.Server.Configuration;

/// <summary>The configuration Kiln runs on when no file is given; parsed by the same code as kiln.conf.</summary>
internal static class EmbeddedDefaults
{
    /// <summary>How messages name this source.</summary>
    public const string SourceName = "embedded defaults";

    public const string Text =
        """
        # Kiln's built-in configuration, used by `kiln serve` without --config.
        [DEFAULT]
        enabled_backends = fault

        [fault]
        volume_driver = fault
        volume_backend_name = fault
        """;
}
