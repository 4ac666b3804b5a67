using CsCheck;
using Kiln.Server.Identity.Keystone;

namespace Kiln.Server.Tests.Identity;

public sealed class TokenCacheTests
{
    private static readonly DateTimeOffset Now = ValidatorHarness.Start;
    private static readonly TokenValidation Result = new TokenValidation.Invalid("x");

    [Fact]
    public void Set_BeyondCapacity_DropsTheOldest()
    {
        var cache = new TokenCache(3);

        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            cache.Set(key, Result, Now.AddMinutes(5), Now);
        }

        cache.Count.ShouldBe(3);
        cache.TryGet("a", Now, out _).ShouldBeFalse();
        cache.TryGet("d", Now, out _).ShouldBeTrue();
    }

    [Fact]
    public void Set_DefaultCapacityPlusOne_HoldsTheBound()
    {
        var cache = new TokenCache(TokenCacheLimits.Default.ValidEntries);

        for (var i = 0; i <= TokenCacheLimits.Default.ValidEntries; i++)
        {
            cache.Set(TokenKey.Of($"token-{i}"), Result, Now.AddMinutes(5), Now);
        }

        cache.Count.ShouldBe(10_000);
        cache.TryGet(TokenKey.Of("token-0"), Now, out _).ShouldBeFalse();
        cache.TryGet(TokenKey.Of("token-10000"), Now, out _).ShouldBeTrue();
    }

    [Fact]
    public void Set_ExpiredEntriesAtTheOldEnd_AreDroppedBeforeLiveOnes()
    {
        var cache = new TokenCache(3);
        cache.Set("a", Result, Now.AddSeconds(10), Now);
        cache.Set("b", Result, Now.AddMinutes(5), Now);

        cache.Set("c", Result, Now.AddMinutes(5), Now.AddSeconds(10));

        cache.Count.ShouldBe(2);
        cache.TryGet("b", Now.AddSeconds(10), out _).ShouldBeTrue();
    }

    [Fact]
    public void TryGet_AtItsTime_MissesAndDropsTheEntry()
    {
        var cache = new TokenCache(3);
        cache.Set("a", Result, Now.AddSeconds(10), Now);

        cache.TryGet("a", Now.AddSeconds(9.999), out var before).ShouldBeTrue();
        cache.TryGet("a", Now.AddSeconds(10), out _).ShouldBeFalse();

        before.ShouldBe(Result);
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void Set_TimeNotAfterNow_KeepsNothing()
    {
        var cache = new TokenCache(3);

        cache.Set("a", Result, Now, Now);

        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void Set_SameKeyAgain_ReplacesTheEntry()
    {
        var cache = new TokenCache(3);
        var newer = new TokenValidation.Invalid("newer");

        cache.Set("a", Result, Now.AddSeconds(10), Now);
        cache.Set("a", newer, Now.AddSeconds(20), Now);

        cache.Count.ShouldBe(1);
        cache.TryGet("a", Now.AddSeconds(15), out var found).ShouldBeTrue();
        found.ShouldBe(newer);
    }

    [Fact]
    public void Constructor_CapacityBelowOne_IsRefused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new TokenCache(0));
    }

    [Fact]
    public void SetAndTryGet_AnySequence_NeverExceedCapacityNorReturnExpired()
    {
        // Operations: (key 0-9, seconds to advance 0-40, lifetime 1-60 s); capacity 1-5.
        var operations = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 40], Gen.Int[1, 60]).Array[1, 60];
        Gen.Select(Gen.Int[1, 5], operations).Sample((capacity, steps) =>
        {
            var cache = new TokenCache(capacity);
            var until = new Dictionary<string, DateTimeOffset>();
            var now = Now;
            foreach (var (key, advance, lifetime) in steps)
            {
                now = now.AddSeconds(advance);
                var name = key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (cache.TryGet(name, now, out _) && now >= until[name])
                {
                    return false;
                }

                until[name] = now.AddSeconds(lifetime);
                cache.Set(name, Result, until[name], now);
                if (cache.Count > capacity)
                {
                    return false;
                }
            }

            return true;
        });
    }
}
