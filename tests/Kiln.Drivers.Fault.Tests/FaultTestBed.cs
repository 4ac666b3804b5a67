using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Drivers.Fault.Tests;

/// <summary>A temp directory, a fake clock and one factory; drivers point their files into the directory.</summary>
internal sealed class FaultTestBed : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kiln-fault-tests-");

    public FakeTimeProvider Time { get; } = new(Start);

    public FaultDriverFactory Factory { get; } = new();

    public string ControlPath => PathOf("control.json");

    public string CallLogPath => PathOf("calls.log");

    public string ReadyPath => PathOf("ready");

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public string PathOf(string name) => Path.Combine(directory.FullName, name);

    /// <summary>A driver with the control file and call log in this bed, plus <paramref name="options"/>.</summary>
    public FaultDriver CreateDriver(string backend = "fault1", params (string Key, string Value)[] options)
    {
        var values = new Dictionary<string, string>
        {
            ["fault_control_file"] = ControlPath,
            ["fault_call_log"] = CallLogPath,
        };
        foreach (var (key, value) in options)
        {
            values[key] = value;
        }

        return CreateDriver(new BackendSection(backend, values));
    }

    public FaultDriver CreateDriver(BackendSection section) =>
        (FaultDriver)Factory.Create(new DriverContext(section, Time, NullLoggerFactory.Instance));

    /// <summary>Replaces the control file in one step, as an operator should, so no call sees half a file.</summary>
    public void WriteControl(string json)
    {
        var temp = PathOf($"control.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, json);
        File.Move(temp, ControlPath, overwrite: true);
    }

    public void MakeReady() => File.WriteAllText(ReadyPath, string.Empty);

    public string[] CallLogLines() => File.Exists(CallLogPath) ? File.ReadAllLines(CallLogPath) : [];

    public string[] CalledMethods() => [.. CallLogLines().Select(line => line.Split(' ')[1])];

    public void Dispose() => directory.Delete(recursive: true);
}
