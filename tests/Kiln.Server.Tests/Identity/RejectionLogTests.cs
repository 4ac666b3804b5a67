using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Identity;

public sealed class RejectionLogTests
{
    [Fact]
    public async Task ValidateAsync_RejectedTokens_LogEachAtDebugAndACountAtMostOncePerMinute()
    {
        await using var h = await ValidatorHarness.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await h.ValidateAsync("tok-expired");
        }

        var countsWithinTheMinute = h.Logs.WithId(1507).Count;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.ValidateAsync("tok-expired");
        await h.ValidateAsync(string.Empty);

        countsWithinTheMinute.ShouldBe(0);
        h.Logs.WithId(1506).Select(l => l.Level).ShouldBe(Enumerable.Repeat(LogLevel.Debug, 7));
        h.Logs.WithId(1506)[0].Message.ShouldBe("Token rejected: Keystone does not know the token, or it has expired or been revoked");
        var count = h.Logs.WithId(1507).ShouldHaveSingleItem();
        count.Level.ShouldBe(LogLevel.Information);
        count.Message.ShouldBe("Keystone: 6 tokens rejected since 2026-12-06T16:00:00.0000000+00:00");
        h.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).ShouldBeEmpty();
    }
}
