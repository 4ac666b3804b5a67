using System.Text.Json.Serialization;

namespace Kiln.Server.Messaging;

/// <summary>Messages on the wire of a broker: JSON with a <c>type</c> discriminator, source-generated.</summary>
[JsonSerializable(typeof(KilnMessage))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class MessageJson : JsonSerializerContext;
