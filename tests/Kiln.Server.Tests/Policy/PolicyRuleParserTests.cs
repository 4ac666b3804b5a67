using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

public sealed class PolicyRuleParserTests
{
    // Expected trees are what oslo.policy 4.0's str(_parser.parse_rule(rule)) prints for the same text.
    [Theory]
    [InlineData("", "@")]
    [InlineData("@", "@")]
    [InlineData("!", "!")]
    [InlineData("role:admin", "role:admin")]
    [InlineData("rule:admin_api", "rule:admin_api")]
    [InlineData("is_admin:True", "is_admin:True")]
    [InlineData("project_id:%(project_id)s", "project_id:%(project_id)s")]
    [InlineData("'member':%(role.name)s", "'member':%(role.name)s")]
    [InlineData("role:admin or role:member", "(role:admin or role:member)")]
    [InlineData("role:admin and role:member", "(role:admin and role:member)")]
    [InlineData("not role:admin", "not role:admin")]
    [InlineData("not not a:1", "not not a:1")]
    [InlineData("a:1 or b:2 or c:3", "(a:1 or b:2 or c:3)")]
    [InlineData("a:1 or b:2 and c:3", "(a:1 or (b:2 and c:3))")]
    [InlineData("a:1 and b:2 or c:3", "((a:1 and b:2) or c:3)")]
    [InlineData("a:1 or b:2 and c:3 and d:4", "(a:1 or (b:2 and c:3 and d:4))")]
    [InlineData("a:1 and b:2 or c:3 and d:4", "((a:1 and b:2) or (c:3 and d:4))")]
    [InlineData("not a:1 and b:2", "(not a:1 and b:2)")]
    [InlineData("not a:1 or b:2", "(not a:1 or b:2)")]
    [InlineData("a:1 or not b:2 and c:3", "(a:1 or (not b:2 and c:3))")]
    [InlineData("(a:1 or b:2) and c:3", "((a:1 or b:2) and c:3)")]
    [InlineData("a:1 or (b:2 and c:3) and d:4", "(a:1 or (b:2 and c:3 and d:4))")]
    [InlineData("(a:1 and b:2) and c:3", "((a:1 and b:2) and c:3)")]
    [InlineData("((a:1))", "a:1")]
    [InlineData("(a:1 or b:2) or (c:3 or d:4)", "((a:1 or b:2) or (c:3 or d:4))")]
    [InlineData("a:1 AND b:2 Or NOT c:3", "((a:1 and b:2) or not c:3)")]
    [InlineData("(role:admin) or (role:reader and project_id:%(project_id)s)", "(role:admin or (role:reader and project_id:%(project_id)s))")]
    [InlineData("  role:admin \t or\nrole:member  ", "(role:admin or role:member)")]
    public void Parse_ValidRule_BuildsTheTreeOsloPolicyBuilds(string rule, string expected)
    {
        PolicyRuleParser.Parse(rule).ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("role:admin)", "a ')' has no '(' to open it")]
    [InlineData("(role:admin", "a '(' is never closed")]
    [InlineData("role:admin role:member", "two checks follow each other with no 'and' or 'or' between them")]
    [InlineData("a:1 and", "'and' has no check after it")]
    [InlineData("not", "'not' has no check after it")]
    [InlineData("a:1 or not", "'not' has no check after it")]
    [InlineData("or a:1", "'or' has no check before it")]
    [InlineData("a:1 and and b:2", "'and' has no check before it")]
    [InlineData("(and a:1)", "'and' has no check before it")]
    [InlineData("(a:1 or)", "'or' has no check after it")]
    [InlineData("()", "'()' holds no check")]
    [InlineData("'quoted'", "'quoted' is quoted text, not a check")]
    [InlineData("role:admin or \"admin\"", "\"admin\" is quoted text, not a check")]
    [InlineData("admin", "'admin' is not a check: expected KIND:MATCH (rule:NAME, role:NAME, field:value), @ or !")]
    [InlineData(":admin", "':admin' has nothing before its ':'")]
    [InlineData("http://policy.example/check", "'http://policy.example/check': http checks (asking a remote server) are not supported")]
    [InlineData("project_id:%(project_id)d", "'%(project_id)d' has a '%' that is not %(name)s or %%")]
    [InlineData("project_id:50%", "'50%' has a '%' that is not %(name)s or %%")]
    [InlineData("role:%(role", "'%(role' has a '%' that is not %(name)s or %%")]
    [InlineData("   ", "the rule is only spaces; write \"\" to allow everyone or \"!\" to allow no one")]
    public void Parse_MalformedRule_ThrowsSayingWhatIsWrong(string rule, string message)
    {
        Should.Throw<PolicyRuleException>(() => PolicyRuleParser.Parse(rule)).Message.ShouldBe(message);
    }

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_Throws()
    {
        var deep = string.Concat(Enumerable.Repeat("not ", PolicyRuleParser.MaxDepth)) + "role:admin";

        Should.Throw<PolicyRuleException>(() => PolicyRuleParser.Parse(deep)).Message.ShouldContain("nest more than");
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var atLimit = string.Concat(Enumerable.Repeat("not ", PolicyRuleParser.MaxDepth - 1)) + "role:admin";

        PolicyRuleParser.Parse(atLimit).Depth.ShouldBe(PolicyRuleParser.MaxDepth);
    }

    [Fact]
    public void Parse_PercentEscape_IsALiteralPercent()
    {
        PolicyRuleParser.Parse("name:50%%").ToString().ShouldBe("name:50%%");
        MatchTemplate.Parse("50%%").TryFormat(new Dictionary<string, string?>(), out var text).ShouldBeTrue();
        text.ShouldBe("50%");
    }
}
