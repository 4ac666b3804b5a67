using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

public sealed class ChapCredentialsTests
{
    [Fact]
    public void Generate_ManyTimes_CinderLengthsLettersAndDigitsNeverRepeated()
    {
        var generated = Enumerable.Range(0, 1000).Select(_ => ChapCredentials.Generate()).ToList();

        generated.ShouldAllBe(c => c.Username.Length == 20 && c.Password.Length == 16);
        generated.ShouldAllBe(c => c.Username.All(char.IsAsciiLetterOrDigit) && c.Password.All(char.IsAsciiLetterOrDigit));
        generated.Select(c => c.Username).Distinct().Count().ShouldBe(1000);
        generated.Select(c => c.Password).Distinct().Count().ShouldBe(1000);
    }
}
