namespace Kiln.Server.Configuration;

/// <summary>The configuration Kiln runs on when no file is given; parsed by the same code as kiln.conf.</summary>
internal static class EmbeddedDefaults
{
    /// <summary>How messages name this source.</summary>
    public const string SourceName = "embedded defaults";

    public const string Text =
        """
        # Kiln's built-in configuration, used by `kiln serve` without --config.
        # One file backend: raw sparse volumes under <state_path>/volumes/file.
        [DEFAULT]
        enabled_backends = file

        [file]
        volume_driver = file
        volume_backend_name = file
        """;
}
