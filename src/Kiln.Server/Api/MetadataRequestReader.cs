using System.Text.Json;

namespace Kiln.Server.Api;

/// <summary>The bodies of the metadata endpoints: <c>{"metadata": {…}}</c> and <c>{"meta": {"key": "value"}}</c>.</summary>
internal static class MetadataRequestReader
{
    /// <summary><c>{"metadata": {…}}</c> with Cinder's key and value rules, at most <paramref name="maxItems"/> items (none included).</summary>
    public static (Dictionary<string, string>? Metadata, string? Error) ReadAll(JsonElement body, int maxItems)
    {
        var (reader, error) = BodyReader.Root(body, "metadata");
        if (error is not null)
        {
            return (null, error);
        }

        var map = reader!.ReadMap(body.GetProperty("metadata"), "metadata", MapKeys.Metadata, maxItems);
        return reader.Failed ? (null, reader.Error) : (map, null);
    }

    /// <summary><c>{"meta": {"key": "value"}}</c>: exactly one item, whose key is the URL's.</summary>
    public static (KeyValuePair<string, string>? Item, string? Error) ReadItem(JsonElement body, string key)
    {
        var (reader, error) = BodyReader.Root(body, "meta");
        if (error is not null)
        {
            return (null, error);
        }

        var element = body.GetProperty("meta");
        var map = reader!.ReadMap(element, "meta", MapKeys.Metadata);
        if (reader.Failed)
        {
            return (null, reader.Error);
        }

        if (map!.Count != 1)
        {
            return (null, BodyReader.Invalid("meta", element, $"It has {map.Count} items; give exactly one, as {{\"meta\": {{\"{key}\": \"value\"}}}}."));
        }

        var item = map.Single();
        return item.Key == key ? (item, null) : (null, "Request body and URI mismatch");
    }
}
