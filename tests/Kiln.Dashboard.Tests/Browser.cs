using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Kiln.Dashboard.Tests;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (packages <c>chromium</c> and
/// <c>chromium-driver</c>, installed by eng/install-test-deps.sh). Missing, the tests fail saying so.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    private Browser(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    public static Browser Start(int width = 1366, int height = 900)
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromedriverPath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Debian's chromium and chromium-driver ({ChromiumPath}, {ChromedriverPath}): apt-get install chromium chromium-driver (eng/install-test-deps.sh does).");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}", "--lang=en-US");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new Browser(new ChromeDriver(service, options, TimeSpan.FromSeconds(30)));
    }

    /// <summary>Waits (polling, with a deadline) until <paramref name="condition"/> holds; the message says what was awaited.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, TimeSpan timeout, string what)
    {
        var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(100), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        wait.Until(condition);
    }

    /// <summary>The row of <paramref name="host"/> in the backends table.</summary>
    public IWebElement Row(string host) => Driver.FindElement(By.CssSelector($"tr[data-host='{host}']"));

    /// <summary>Saves a screenshot when <c>KILN_DASHBOARD_SCREENSHOTS</c> names a directory (docs/dashboard.md: the documented command).</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("KILN_DASHBOARD_SCREENSHOTS") is not { Length: > 0 } dir)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(dir, $"dashboard-{name}.png"));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
