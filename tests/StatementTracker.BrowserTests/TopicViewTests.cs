using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace StatementTracker.BrowserTests;

/// <summary>The topic view on the seed data: countries grouped by stance family, and their alignment.</summary>
[Collection(TimelineCollection.Name)]
public class TopicViewTests(TimelineSite site, ITestOutputHelper output)
{
    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task japan_is_grouped_under_guarded_apart_from_china_under_favourable()
    {
        await using var browser = await site.OpenAsync("#/topic/china-russia-relations");
        var page = browser.Page;

        var guarded = page.GetByRole(AriaRole.Region, new() { Name = "Guarded (1)", Exact = true });
        var favourable = page.GetByRole(AriaRole.Region, new() { Name = "Favourable (1)", Exact = true });
        await Expect(guarded.Locator("li[data-country='JPN']")).ToContainTextAsync("Japan (JPN)");
        await Expect(guarded.Locator("li[data-country='JPN']")).ToContainTextAsync("monitor, 2024-07-04");
        await Expect(guarded.Locator("li[data-country='CHN']")).ToHaveCountAsync(0);
        await Expect(favourable.Locator("li[data-country='CHN']")).ToContainTextAsync("commit, 2024-07-03");
        await Expect(favourable.Locator("li[data-country='JPN']")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Critical (0)", Exact = true })).ToContainTextAsync("No country.");

        // Japan watches China and Russia; China's commitment is towards Russia: different targets, not comparable.
        var alignment = page.GetByRole(AriaRole.Region, new() { Name = "Alignment", Exact = true });
        await Expect(alignment.Locator("td[data-pair='CHN-JPN']")).ToHaveTextAsync("not comparable");
        await Expect(alignment.Locator("td[data-pair='JPN-CHN']")).ToHaveTextAsync("not comparable");
        await Expect(alignment).ToContainTextAsync("guarded, towards CHN, RUS: Japan (JPN)");

        var screenshot = await browser.ScreenshotAsync("topic-china-russia-relations.png");
        output.WriteLine($"Screenshot of the topic view: {screenshot}");
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task as_of_before_japan_spoke_only_china_is_there()
    {
        await using var browser = await site.OpenAsync("#/topic/china-russia-relations?asOf=2024-07-03");
        var page = browser.Page;

        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Favourable (1)", Exact = true })).ToContainTextAsync("China (CHN)");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Guarded (0)", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#topic-view").GetByLabel("As of (stated on or before)")).ToHaveValueAsync("2024-07-03");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Alignment", Exact = true })).ToContainTextAsync("nothing to compare");
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task a_country_in_the_topic_view_opens_its_statement_and_links_to_its_timeline()
    {
        await using var browser = await site.OpenAsync("#/topic/china-russia-relations");
        var page = browser.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Statement: China, commit, 2024-07-03" }).ClickAsync();
        var card = page.GetByRole(AriaRole.Dialog);
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Xi Jinping" })).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("commit (favourable)");
        await page.Keyboard.PressAsync("Escape");
        await Expect(card).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Japan (JPN)" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/country/JPN$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = CountryViewTests.MonitorMark, Exact = true })).ToBeVisibleAsync();
        browser.ShouldHaveRunCleanly();
    }
}
