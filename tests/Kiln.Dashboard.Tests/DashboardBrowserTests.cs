using System.Net;
using OpenQA.Selenium;

namespace Kiln.Dashboard.Tests;

/// <summary>The dashboard in headless Chromium against a real <c>kiln serve</c> with fault backends (issue 15).</summary>
public sealed class DashboardBrowserTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public void Backends_StorageAwayThenBackThenStatsFailing_RowFollowsEachState()
    {
        var browser = server.Browser;
        browser.Driver.Navigate().GoToUrl(new Uri(server.Loopback, "/dashboard"));
        browser.Driver.Title.ShouldBe("Kiln dashboard");

        // Storage not reachable: failed, with the class and message, attempts of the budget, the probe's answer.
        browser.WaitUntil(_ => browser.Row(DashboardServer.Flaky).GetDomAttribute("data-state") == "failed", Deadline, "flaky failed");
        browser.WaitUntil(_ => browser.Row(DashboardServer.Flaky).Text.Contains("not reachable", StringComparison.Ordinal), Deadline, "the probe's answer shown");
        var failing = browser.Row(DashboardServer.Flaky);
        failing.FindElement(By.CssSelector(".badge")).Text.ShouldContain("failed");
        failing.FindElement(By.CssSelector(".error-class")).Text.ShouldBe("DriverException");
        failing.FindElement(By.CssSelector(".error-message")).Text.ShouldContain("ready file");
        failing.FindElement(By.CssSelector("td[data-label='Attempts']")).Text.ShouldEndWith("of 3");
        // The healthy backend may still be initializing when the flaky one has already failed.
        browser.WaitUntil(_ => browser.Row(DashboardServer.Healthy).GetDomAttribute("data-state") == "ready", Deadline, "healthy ready beside it");
        browser.Screenshot("failing");

        // The filter keeps only the backends in that state.
        browser.Driver.FindElement(By.CssSelector("#state-filter option[value='failed']")).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#backends tbody tr[data-host]")).Select(r => r.GetDomAttribute("data-host")).SequenceEqual([DashboardServer.Flaky]), Deadline, "only the failed backend listed");
        browser.Driver.FindElement(By.CssSelector("#state-filter option[value='']")).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#backends tbody tr[data-host]")).Count == 3, Deadline, "all three listed again");

        // Storage back: the probe notices and the row turns ready by itself (the page polls).
        File.WriteAllText(server.FlakyReadyFile, string.Empty);
        browser.WaitUntil(_ => browser.Row(DashboardServer.Flaky).GetDomAttribute("data-state") == "ready", Deadline, "flaky recovered");
        browser.Row(DashboardServer.Flaky).FindElement(By.CssSelector(".badge")).Text.ShouldContain("ready");
        browser.Row(DashboardServer.Flaky).FindElement(By.CssSelector("svg.timeline")).GetDomAttribute("aria-label")!.ShouldContain("failed");

        // Stats start failing at runtime: degraded (then failed); they come back: ready again.
        server.WriteControl("flaky", new { ready_file = server.FlakyReadyFile, stats = "fail" });
        browser.WaitUntil(_ => browser.Row(DashboardServer.Flaky).GetDomAttribute("data-state") is "degraded" or "failed", Deadline, "flaky degraded");
        server.WriteControl("flaky", new { ready_file = server.FlakyReadyFile });
        browser.WaitUntil(_ => browser.Row(DashboardServer.Flaky).GetDomAttribute("data-state") == "ready", Deadline, "flaky ready again");
        browser.Screenshot("healthy");
    }

    [Fact]
    public void Reinit_ConfirmedOnUnrecoverableBackend_RowShowsTheAttemptThenReady()
    {
        var browser = server.Browser;
        browser.Driver.Navigate().GoToUrl(new Uri(server.Loopback, "/dashboard"));
        browser.WaitUntil(_ => browser.Row(DashboardServer.Broken).GetDomAttribute("data-state") == "unrecoverable", Deadline, "broken unrecoverable");
        browser.Row(DashboardServer.Broken).FindElement(By.CssSelector(".error-class")).Text.ShouldBe("DriverConfigurationException");

        // The operator "fixes" the cause; the driver now takes its time (hangs until its driver_init_timeout, 5 s).
        server.WriteControl("broken", new { init = "hang" });
        browser.Row(DashboardServer.Broken).FindElement(By.CssSelector("button.reinit")).Click();
        var confirm = browser.Driver.SwitchTo().Alert();
        confirm.Text!.ShouldContain($"Re-initialize {DashboardServer.Broken} now?");
        confirm.Accept();

        browser.WaitUntil(_ => browser.Row(DashboardServer.Broken).GetDomAttribute("data-state") == "initializing", Deadline, "the attempt shown running");
        browser.Row(DashboardServer.Broken).Text.ShouldContain("attempt running");
        browser.Screenshot("recovering");

        // The storage answers now: the attempt after the timed-out one succeeds and the row says so.
        server.WriteControl("broken", new { init = "ok" });
        browser.WaitUntil(_ => browser.Row(DashboardServer.Broken).GetDomAttribute("data-state") == "ready", TimeSpan.FromSeconds(30), "broken ready after the re-init");
    }

    [Fact]
    public void Page_PhoneWidth_RowsBecomeLabelledCardsWithoutSidewaysScrolling()
    {
        var browser = server.Browser;
        var window = browser.Driver.Manage().Window;
        var laptop = window.Size;
        try
        {
            window.Size = new System.Drawing.Size(390, 844);
            browser.Driver.Navigate().GoToUrl(new Uri(server.Loopback, "/dashboard"));
            browser.WaitUntil(_ => browser.Row(DashboardServer.Healthy).Displayed, Deadline, "the rows shown");
            var js = browser.Driver;
            var overflow = Convert.ToInt64(js.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"), System.Globalization.CultureInfo.InvariantCulture);
            overflow.ShouldBeLessThanOrEqualTo(0);
            var stateCell = browser.Row(DashboardServer.Healthy).FindElement(By.CssSelector("td[data-label='State']"));
            ((string?)js.ExecuteScript("return getComputedStyle(arguments[0], '::before').content;", stateCell))!.ShouldContain("State");
            browser.Screenshot("phone");

            // Every control has a name a screen reader can say.
            var unnamed = js.ExecuteScript("""
                return [...document.querySelectorAll('button, select, a[href]')]
                  .filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()))
                  .map(e => e.outerHTML);
                """);
            ((System.Collections.ObjectModel.ReadOnlyCollection<object>)unnamed!).ShouldBeEmpty();
        }
        finally
        {
            window.Size = laptop;
        }
    }
}
