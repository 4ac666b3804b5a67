namespace Kiln.Drivers.File.Iscsi;

/// <summary>One target as tgtd reports it: its tid, IQN, LUN backing files, bound accounts and ACLs.</summary>
internal sealed record TgtTarget(int Tid, string Iqn, IReadOnlyDictionary<int, string> BackingStores, IReadOnlyList<string> Accounts, IReadOnlyList<string> Acls);
