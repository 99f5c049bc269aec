using Microsoft.Playwright;

namespace StatementTracker.BrowserTests;

/// <summary>
/// Debian's Chromium, driven by Playwright's .NET driver (shipped in the NuGet package; it starts offline).
/// Playwright's own browser builds are never downloaded: `playwright install` needs the internet, and
/// .ci/run installs the distribution's chromium instead.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Flags that work as root in a container without a GPU, and keep Chromium from calling home.</summary>
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does so when it is missing.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }
}
