using Kiln.Core.Scheduling;

namespace Kiln.Core.Tests.Scheduling;

public sealed class ExtraSpecMatcherTests
{
    [Theory]
    // No operator: the whole requirement equals the value; boolean literals compare as booleans.
    [InlineData("fast", "fast", true)]
    [InlineData("fast", "Fast", false)]
    [InlineData("fast", " fast", false)]
    [InlineData("fast slow", "fast slow", true)]
    [InlineData("", "", true)]
    [InlineData("True", "True", true)]
    [InlineData("True", "true", true)]
    [InlineData("TRUE", "True", true)]
    [InlineData("False", "false", true)]
    [InlineData("True", "false", false)]
    [InlineData("yes", "true", false)]
    [InlineData("1", "true", false)]
    // <is>: oslo's bool_from_string on both sides.
    [InlineData("True", "<is> True", true)]
    [InlineData("true", "<is> TRUE", true)]
    [InlineData("yes", "<is> True", true)]
    [InlineData("1", "<is> true", true)]
    [InlineData(" on ", "<is> true", true)]
    [InlineData("False", "<is> True", false)]
    [InlineData("False", "<is> False", true)]
    [InlineData("no", "<is> False", true)]
    [InlineData("maybe", "<is> False", true)]
    [InlineData("True", "<is> False", false)]
    [InlineData("True", "<is>", false)]
    // <in>: the operand is a substring of the value.
    [InlineData("ssd-fast", "<in> ssd", true)]
    [InlineData("hdd", "<in> ssd", false)]
    [InlineData("SSD", "<in> ssd", false)]
    [InlineData("ssd", "<in>", false)]
    // <or>: any alternative equals the value.
    [InlineData("b", "<or> a <or> b", true)]
    [InlineData("a", "<or> a <or> b <or> c", true)]
    [InlineData("c", "<or> a <or> b", false)]
    [InlineData("a", "<or> a", true)]
    [InlineData("x", "<or>", false)]
    [InlineData("True", "<or> true <or> other", true)]
    [InlineData("<or>", "<or> a <or> b", false)]
    [InlineData("b", "<or> a b c", false)]
    [InlineData("c", "<or> a b c", true)]
    // = is "at least", as in Cinder.
    [InlineData("10", "= 5", true)]
    [InlineData("5", "= 5", true)]
    [InlineData("4", "= 5", false)]
    [InlineData("10", "= 9", true)]
    [InlineData("10.5", "= 10.25", true)]
    [InlineData("abc", "= 5", false)]
    [InlineData("10", "= abc", false)]
    [InlineData("10", "=", false)]
    // Numeric ==, !=, >=, <=.
    [InlineData("5", "== 5.0", true)]
    [InlineData("5", "== 6", false)]
    [InlineData("1e3", "== 1000", true)]
    [InlineData("5", "!= 6", true)]
    [InlineData("5", "!= 5", false)]
    [InlineData("x", "!= 5", false)]
    [InlineData("6", ">= 5", true)]
    [InlineData("5", ">= 5", true)]
    [InlineData("4", ">= 5", false)]
    [InlineData("4", "<= 5", true)]
    [InlineData("6", "<= 5", false)]
    [InlineData("1,5", "<= 5", false)]
    // String comparisons are ordinal.
    [InlineData("abc", "s== abc", true)]
    [InlineData("abc", "s== ABC", false)]
    [InlineData("abc", "s!= abd", true)]
    [InlineData("abc", "s!= abc", false)]
    [InlineData("abc", "s< abd", true)]
    [InlineData("abd", "s< abc", false)]
    [InlineData("abc", "s< abc", false)]
    [InlineData("abc", "s<= abc", true)]
    [InlineData("abd", "s<= abc", false)]
    [InlineData("b", "s> a", true)]
    [InlineData("a", "s> b", false)]
    [InlineData("b", "s>= b", true)]
    [InlineData("a", "s>= b", false)]
    [InlineData("10", "s> 9", false)]
    [InlineData("B", "s< a", true)]
    // Only the first word after an operator counts; an unknown operator is plain text.
    [InlineData("abc", "s== abc def", true)]
    [InlineData("7", ">=   5   ignored", true)]
    [InlineData("a", "<all-in> a", false)]
    [InlineData("<all-in> a", "<all-in> a", true)]
    public void Matches_Requirement_FollowsCinderOperators(string value, string requirement, bool expected) =>
        ExtraSpecMatcher.Parse(requirement).Matches(value).ShouldBe(expected);

    [Fact]
    public void Parse_Requirement_KeepsItVerbatimForMessages() =>
        ExtraSpecMatcher.Parse("  <in>  ssd ").Requirement.ShouldBe("  <in>  ssd ");
}
