using Kiln.Server.Api;

namespace Kiln.Server.Tests.Api;

public sealed class PythonLiteralTests
{
    [Theory]
    [InlineData("{'Type': 'work'}", "Type=work")]
    [InlineData("""{"Type": "work", "a": "b"}""", "Type=work;a=b")]
    [InlineData("{'n': 1, 'ok': True,}", "n=1;ok=True")]
    [InlineData("{'q': 'it\\'s'}", "q=it's")]
    [InlineData("{}", "")]
    public void TryParseDictionary_PythonOrJson_Pairs(string text, string expected)
    {
        var pairs = PythonLiteral.TryParseDictionary(text);

        pairs.ShouldNotBeNull();
        string.Join(';', pairs.Select(p => $"{p.Key}={p.Value}")).ShouldBe(expected);
    }

    [Theory]
    [InlineData("work")]
    [InlineData("{'a': 'b'")]
    [InlineData("{'a': ['b']}")]
    [InlineData("{'a': 'b'} x")]
    [InlineData("['a']")]
    [InlineData("")]
    public void TryParseDictionary_NotADictionaryOfScalars_Null(string text) =>
        PythonLiteral.TryParseDictionary(text).ShouldBeNull();
}
