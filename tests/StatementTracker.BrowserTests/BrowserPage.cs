using Microsoft.Playwright;
using Shouldly;

namespace StatementTracker.BrowserTests;

/// <summary>
/// One page in a fresh browser context (its own session storage), opened on the service. It records
/// script errors, console errors and every request that leaves the service's origin: the page must work
/// offline, from the service alone.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _origin;
    private readonly List<string> _errors = [];
    private readonly List<string> _foreignRequests = [];

    private BrowserPage(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        Page = page;
        _origin = origin;
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"script error: {error}"); };
        page.Console += (_, message) =>
        {
            // A refused API call logs "Failed to load resource" by itself; the page handles those answers.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                lock (_errors) _errors.Add($"console error: {message.Text}");
        };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme != "data" && url.GetLeftPart(UriPartial.Authority) != origin.GetLeftPart(UriPartial.Authority))
                lock (_foreignRequests) _foreignRequests.Add(request.Url);
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> OpenAsync(IBrowser browser, Uri origin, string hash)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = origin.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var opened = new BrowserPage(context, page, origin);
        await page.GotoAsync("/" + hash);
        return opened;
    }

    /// <summary>The element that has keyboard focus, by its aria-label, else its label element's text, else its own text.</summary>
    public Task<string?> FocusedLabelAsync() =>
        Page.EvaluateAsync<string?>("""
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return null;
              return e.getAttribute('aria-label') ?? (e.labels?.length ? e.labels[0].textContent.trim() : e.textContent.trim());
            }
            """);

    /// <summary>Presses Tab until the focused element's label is <paramref name="label"/>; fails after <paramref name="limit"/> presses.</summary>
    public async Task TabToAsync(string label, int limit = 40)
    {
        var seen = new List<string?>();
        for (var i = 0; i < limit; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            var focused = await FocusedLabelAsync();
            if (focused == label) return;
            seen.Add(focused);
        }
        throw new ShouldAssertException($"Tab never reached '{label}' in {limit} presses; focus went: {string.Join(" | ", seen)}");
    }

    /// <summary>Writes a full-page screenshot under the test binaries' TestResults/screenshots and answers its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>No script or console error happened, and nothing was requested from outside the service.</summary>
    public void ShouldHaveRunCleanly()
    {
        lock (_errors) _errors.ShouldBeEmpty();
        lock (_foreignRequests) _foreignRequests.ShouldBeEmpty("the page must load nothing from outside the service");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
