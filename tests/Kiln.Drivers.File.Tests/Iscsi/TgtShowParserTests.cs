using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

public sealed class TgtShowParserTests
{
    // Trimmed output of tgt 1.0.85 with one session logged in.
    private const string TwoTargets = """
        Target 1: iqn.2010-10.org.openstack:volume-a
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
                I_T nexus: 1
                    Initiator: iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-ls alias: none
                    Connection: 0
                        IP Address: 127.0.0.1
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store path: None
                LUN: 1
                    Type: disk
                    Size: 67 MB, Block size: 512
                    Backing store type: rdwr
                    Backing store path: /var/lib/kiln/volumes/volume-a
                    Backing store flags: 
            Account information:
                Xq3userABCDEFGHIJ123
                out1 (outgoing)
            ACL information:
                ALL
        Target 12: iqn.2010-10.org.openstack:volume-b
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store path: None
            Account information:
            ACL information:
                192.168.0.0/24
        """;

    [Fact]
    public void ParseTargets_TwoTargets_TidIqnLunsAccountsAndAcls()
    {
        var targets = TgtShowParser.ParseTargets(TwoTargets);

        targets.Count.ShouldBe(2);
        targets[0].Tid.ShouldBe(1);
        targets[0].Iqn.ShouldBe("iqn.2010-10.org.openstack:volume-a");
        targets[0].BackingStores[1].ShouldBe("/var/lib/kiln/volumes/volume-a");
        targets[0].Accounts.ShouldBe(["Xq3userABCDEFGHIJ123", "out1"]);
        targets[0].Acls.ShouldBe(["ALL"]);
        targets[1].Tid.ShouldBe(12);
        targets[1].BackingStores.Keys.ShouldBe([0]);
        targets[1].Accounts.ShouldBeEmpty();
        targets[1].Acls.ShouldBe(["192.168.0.0/24"]);
    }

    [Fact]
    public void ParseTargets_Empty_NoTargets() => TgtShowParser.ParseTargets(string.Empty).ShouldBeEmpty();

    [Fact]
    public void ParseAccounts_List_UserNames() =>
        TgtShowParser.ParseAccounts("Account list:\n    alice\n    bob (outgoing)\n").ShouldBe(["alice", "bob"]);
}
