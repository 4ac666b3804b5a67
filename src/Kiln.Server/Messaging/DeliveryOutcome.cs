namespace Kiln.Server.Messaging;

/// <summary>What a bus does with a delivery once its handler has run.</summary>
internal enum DeliveryOutcome
{
    /// <summary>The handler completed: acknowledge.</summary>
    Ack,

    /// <summary>The handler threw and the backoff has passed: deliver the message again.</summary>
    Redeliver,

    /// <summary>The handler threw on the last allowed delivery: move the message aside.</summary>
    DeadLetter,

    /// <summary>The subscription is stopping: neither acknowledge nor reject (a broker hands the message out again).</summary>
    Abandon,
}
