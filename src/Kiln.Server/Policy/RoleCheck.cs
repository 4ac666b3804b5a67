namespace Kiln.Server.Policy;

/// <summary><c>role:NAME</c>: the caller holds the role, in any letter case, as oslo.policy's comparison of lowered names.</summary>
internal sealed class RoleCheck(MatchTemplate role) : PolicyCheck(1)
{
    public override bool Evaluate(in PolicyEvaluation evaluation)
    {
        if (!role.TryFormat(evaluation.Target, out var wanted))
        {
            return false;
        }

        // Ordinal ignore-case equals Python's lower() == lower() for every role name Keystone hands out,
        // and builds no strings per request.
        foreach (var held in evaluation.Credentials.Roles)
        {
            if (string.Equals(held, wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => $"role:{role}";
}
