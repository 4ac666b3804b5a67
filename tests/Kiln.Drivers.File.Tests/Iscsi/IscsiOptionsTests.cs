using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

public sealed class IscsiOptionsTests
{
    [Fact]
    public void Names_AllOptions_AreDistinctCinderStyleNames()
    {
        IscsiOptions.Names.ShouldBeUnique();
        IscsiOptions.Names.ShouldAllBe(name => System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z]+(_[a-z]+)*$"));
    }
}
