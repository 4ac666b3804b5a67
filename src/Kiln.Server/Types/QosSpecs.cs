namespace Kiln.Server.Types;

/// <summary>A QoS specs entity: a name, who applies it (<see cref="QosConsumers"/>), and its keys.</summary>
internal sealed record QosSpecs(string Id, string Name, string Consumer, IReadOnlyDictionary<string, string> Specs, DateTimeOffset CreatedAt);

/// <summary>Cinder's QoS consumers: who enforces the specs.</summary>
internal static class QosConsumers
{
    public const string FrontEnd = "front-end";
    public const string BackEnd = "back-end";
    public const string Both = "both";

    /// <summary>Cinder's default when a create names no consumer.</summary>
    public const string Default = BackEnd;

    public static readonly string[] All = [FrontEnd, BackEnd, Both];

    /// <summary>Cinder's message for any other value.</summary>
    public const string Invalid = "Invalid QoS specification: Valid consumer of QoS specs are: ['front-end', 'back-end', 'both']";

    /// <summary>Whether the volume driver applies specs of <paramref name="consumer"/> (the hypervisor applies front-end ones).</summary>
    public static bool ForBackEnd(string consumer) => consumer is BackEnd or Both;
}

/// <summary>A volume type a QoS specs entity is associated with, as Cinder lists it.</summary>
internal sealed record QosAssociation(string Id, string Name);

/// <summary>How a QoS write ended.</summary>
internal enum QosWriteOutcome
{
    Done,
    NotFound,
    TypeNotFound,
    KeyNotFound,
    InUse,
    AssociatedElsewhere,
    NameTaken,
}
