using System.Reflection;
using Kiln.Core.Errors;

namespace Kiln.Core.Tests.Errors;

public sealed class DriverErrorClassifierTests
{
    public static TheoryData<string, Exception, FailureKind, Type> Cases => new()
    {
        { "base driver exception", new DriverException("array busy"), FailureKind.Recoverable, typeof(DriverException) },
        { "configuration", new DriverConfigurationException("bad option"), FailureKind.Unrecoverable, typeof(DriverConfigurationException) },
        { "not supported", new DriverNotSupportedException("wrong firmware"), FailureKind.Unrecoverable, typeof(DriverNotSupportedException) },
        { "dependency", new DriverDependencyException("qemu-img missing"), FailureKind.Unrecoverable, typeof(DriverDependencyException) },
        { "timeout", new DriverTimeoutException("initialization", TimeSpan.FromSeconds(300)), FailureKind.Recoverable, typeof(DriverTimeoutException) },
        { "system timeout", new TimeoutException("login timed out"), FailureKind.Recoverable, typeof(TimeoutException) },
        { "cancellation by the driver", new OperationCanceledException("cancelled"), FailureKind.Recoverable, typeof(OperationCanceledException) },
        { "task cancellation", new TaskCanceledException(), FailureKind.Recoverable, typeof(TaskCanceledException) },
        { "io error", new IOException("connection reset"), FailureKind.Recoverable, typeof(IOException) },
        { "argument bug", new ArgumentException("bad"), FailureKind.Recoverable, typeof(ArgumentException) },
        { "invalid operation", new InvalidOperationException("not logged in"), FailureKind.Recoverable, typeof(InvalidOperationException) },
        { "aggregate of recoverable", new AggregateException(new IOException("a"), new TimeoutException("b")), FailureKind.Recoverable, typeof(AggregateException) },
        { "aggregate of one", new AggregateException(new IOException("only")), FailureKind.Recoverable, typeof(IOException) },
        { "aggregate hiding unrecoverable", new AggregateException(new IOException("a"), new DriverDependencyException("tgtadm missing")), FailureKind.Unrecoverable, typeof(DriverDependencyException) },
        { "nested aggregate hiding unrecoverable", new AggregateException(new AggregateException(new DriverNotSupportedException("no"))), FailureKind.Unrecoverable, typeof(DriverNotSupportedException) },
        { "driver exception wrapping configuration", new DriverException("setup failed", new DriverConfigurationException("bad")), FailureKind.Unrecoverable, typeof(DriverConfigurationException) },
        { "foreign exception wrapping configuration", new InvalidOperationException("wrapper", new DriverConfigurationException("bad")), FailureKind.Unrecoverable, typeof(DriverConfigurationException) },
        { "reflection wrapper", new TargetInvocationException(new DriverNotSupportedException("no")), FailureKind.Unrecoverable, typeof(DriverNotSupportedException) },
        { "reflection wrapper of recoverable", new TargetInvocationException(new IOException("reset")), FailureKind.Recoverable, typeof(IOException) },
        { "driver exception wrapping recoverable", new DriverException("setup failed", new IOException("reset")), FailureKind.Recoverable, typeof(DriverException) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_EachExceptionType_MatchesTaxonomy(string name, Exception exception, FailureKind expected, Type rootCause)
    {
        DriverErrorClassifier.Classify(exception).ShouldBe(expected, name);
        DriverErrorClassifier.RootCause(exception).ShouldBeOfType(rootCause, name);
    }

    [Fact]
    public void Classify_EveryUnrecoverableSubtype_IsUnrecoverable()
    {
        var subtypes = typeof(UnrecoverableDriverException).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(UnrecoverableDriverException)) && !t.IsAbstract)
            .ToList();

        subtypes.Count.ShouldBe(3);
        foreach (var type in subtypes)
        {
            var instance = (Exception)Activator.CreateInstance(type, "message", null)!;
            DriverErrorClassifier.Classify(instance).ShouldBe(FailureKind.Unrecoverable, type.Name);
        }
    }

    [Fact]
    public void Classify_DeeplyNestedChain_DoesNotOverflow()
    {
        Exception chain = new IOException("bottom");
        for (var i = 0; i < 10_000; i++)
        {
            chain = new DriverException($"level {i}", chain);
        }

        DriverErrorClassifier.Classify(chain).ShouldBe(FailureKind.Recoverable);
    }
}
