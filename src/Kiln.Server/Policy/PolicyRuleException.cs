namespace Kiln.Server.Policy;

/// <summary>A rule's text is not in oslo.policy's rule language; the message says what is wrong, in one line.</summary>
public sealed class PolicyRuleException : Exception
{
    public PolicyRuleException()
        : base("the policy rule cannot be parsed")
    {
    }

    public PolicyRuleException(string message)
        : base(message)
    {
    }

    public PolicyRuleException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
