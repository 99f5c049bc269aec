using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace StatementTracker.BrowserTests;

/// <summary>The country view on the seed data: lanes per topic, marks per statement, the statement card.</summary>
[Collection(TimelineCollection.Name)]
public class CountryViewTests(TimelineSite site, ITestOutputHelper output)
{
    public const string MonitorMark = "Japan, china-russia-relations, 2024-07-04: monitor (guarded)";
    public const string NoCommentMark = "Japan, china-russia-relations, 2024-07-04: no-comment (none)";

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task japans_china_russia_relations_lane_shows_the_monitor_mark_and_the_no_comment_beside_it()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "china-russia-relations", Exact = true })).ToBeVisibleAsync();
        var monitor = page.GetByRole(AriaRole.Button, new() { Name = MonitorMark, Exact = true });
        await Expect(monitor).ToBeVisibleAsync();
        await Expect(monitor).ToHaveAttributeAsync("data-family", "guarded");
        await Expect(monitor).ToHaveAttributeAsync("tabindex", "0");
        // Colour is never the only signal: the guarded family is drawn as a diamond (a polygon), the no-comment as a hollow circle.
        await Expect(monitor.Locator("polygon.family-guarded")).ToHaveCountAsync(1);
        var noComment = page.GetByRole(AriaRole.Button, new() { Name = NoCommentMark, Exact = true });
        await Expect(noComment.Locator("circle.family-none")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Legend" })).ToContainTextAsync("guarded (concern, urge, monitor): diamond");
        await Expect(page.GetByText("now: monitor (guarded), 2024-07-04")).ToBeVisibleAsync();

        var screenshot = await browser.ScreenshotAsync("country-JPN.png");
        output.WriteLine($"Screenshot of the country view: {screenshot}");
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task clicking_a_mark_opens_the_card_with_speaker_position_sources_and_history()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        var card = page.GetByRole(AriaRole.Dialog);

        await page.GetByRole(AriaRole.Button, new() { Name = MonitorMark, Exact = true }).ClickAsync();

        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Hayashi Yoshimasa" })).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("Chief Cabinet Secretary");
        await Expect(card).ToContainTextAsync("will closely monitor the development of China-Russia relations");
        await Expect(card).ToContainTextAsync("monitor (guarded)");
        await Expect(card).ToContainTextAsync("2024-07-04");
        // The seed gives the monitor statement no quote, and its source no URL: publisher and date are shown.
        await Expect(card).ToContainTextAsync("No quote recorded for this statement.");
        await Expect(card).ToContainTextAsync("TV Asahi, published 2024-07-04");
        await Expect(card).ToContainTextAsync("statement recorded, version 1");
        output.WriteLine($"Screenshot of the card: {await browser.ScreenshotAsync("card-JPN-monitor.png")}");

        await page.Keyboard.PressAsync("Escape");
        await Expect(card).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = NoCommentMark, Exact = true }).ClickAsync();
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.Locator("blockquote")).ToHaveTextAsync("I will refrain from commenting on the meetings of third countries.");
        await Expect(card).ToContainTextAsync("no-comment (none)");
        await card.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(card).ToBeHiddenAsync();
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task a_shift_is_ringed_and_a_partial_date_sits_at_its_first_day_with_its_span()
    {
        await using var browser = await site.OpenAsync($"#/country/JPN");
        var page = browser.Page;

        var oppose = page.GetByRole(AriaRole.Button, new() { Name = $"Japan, {TimelineSite.ShiftTopic}, 2024-06: oppose (critical), shift from support to oppose", Exact = true });
        await Expect(oppose).ToBeVisibleAsync();
        await Expect(oppose.Locator("circle.shift-ring > title")).ToHaveTextAsync("support → oppose");
        var support = page.GetByRole(AriaRole.Button, new() { Name = $"Japan, {TimelineSite.ShiftTopic}, 2023: support (favourable)", Exact = true });
        await Expect(support).ToBeVisibleAsync();

        // 2023 is drawn from its first day, with a bar over the whole year: the bar is a year long, the month's a month.
        var spans = await page.Locator($"[aria-label^='{TimelineSite.ShiftTopic}'] line.span").EvaluateAllAsync<double[]>(
            "lines => lines.map(l => l.x2.baseVal.value - l.x1.baseVal.value)");
        spans.Length.ShouldBe(2);
        var (year, month) = (spans.Max(), spans.Min());
        (year / month).ShouldBeInRange(10.0, 14.0);
        var supportX = await support.EvaluateAsync<double>("g => g.transform.baseVal.getItem(0).matrix.e");
        var opposeX = await oppose.EvaluateAsync<double>("g => g.transform.baseVal.getItem(0).matrix.e");
        // From 2023-01-01 to 2024-06-01 is 17 months.
        ((opposeX - supportX) / month).ShouldBeInRange(16.0, 18.0);
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task the_card_shows_a_correction_with_its_reason_and_a_source_with_a_url_as_a_link()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        var card = page.GetByRole(AriaRole.Dialog);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Japan, {TimelineSite.ShiftTopic}, 2024-06: oppose (critical), shift from support to oppose", Exact = true }).ClickAsync();

        await Expect(card).ToContainTextAsync(TimelineSite.CorrectedPosition);
        await Expect(card).ToContainTextAsync("2024-06 (some day that month)");
        await Expect(card).ToContainTextAsync("statement corrected, version 2");
        await Expect(card).ToContainTextAsync($"Reason: {TimelineSite.CorrectionReason}");
        await Expect(card).ToContainTextAsync($"position: {TimelineSite.OriginalPosition} → {TimelineSite.CorrectedPosition}");
        await page.Keyboard.PressAsync("Escape");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Japan, {TimelineSite.ShiftTopic}, 2023: support (favourable)", Exact = true }).ClickAsync();
        var link = card.GetByRole(AriaRole.Link, new() { Name = "Example Daily" });
        await Expect(link).ToHaveAttributeAsync("href", TimelineSite.SourceUrl);
        await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(card).ToContainTextAsync("Example Daily, published 2023-03-01");
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task as_of_a_date_rereads_the_view_with_only_what_was_said_by_then()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = MonitorMark, Exact = true })).ToBeVisibleAsync();

        await page.Locator("#country-view").GetByLabel("As of (stated on or before)").FillAsync("2024-07-03");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"#/country/JPN\?asOf=2024-07-03$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Japan (JPN), as of 2024-07-03" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "china-russia-relations", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Japan, {TimelineSite.ShiftTopic}, 2024-06: oppose (critical), shift from support to oppose", Exact = true })).ToBeVisibleAsync();
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task a_country_is_picked_by_its_name()
    {
        await using var browser = await site.OpenAsync("");
        var page = browser.Page;

        await Expect(page.Locator("#country-list option[value='Japan']")).ToBeAttachedAsync();
        await page.GetByLabel("Country (name or code)").FillAsync("Japan");
        await page.GetByLabel("Country (name or code)").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("#/country/JPN$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = MonitorMark, Exact = true })).ToBeVisibleAsync();
        browser.ShouldHaveRunCleanly();
    }
}
