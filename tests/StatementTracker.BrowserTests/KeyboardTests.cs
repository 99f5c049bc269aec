using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace StatementTracker.BrowserTests;

/// <summary>The page with the keyboard alone: Tab reaches every control and mark, Enter and Space open, Escape closes.</summary>
[Collection(TimelineCollection.Name)]
public class KeyboardTests(TimelineSite site)
{
    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task tab_reaches_a_mark_enter_opens_its_card_and_escape_returns_focus_to_it()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        var card = page.GetByRole(AriaRole.Dialog);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = CountryViewTests.MonitorMark, Exact = true })).ToBeVisibleAsync();

        await browser.TabToAsync(CountryViewTests.MonitorMark);
        await page.Keyboard.PressAsync("Enter");

        await Expect(card).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Hayashi Yoshimasa" })).ToBeVisibleAsync();
        // Focus moved into the dialog.
        (await page.EvaluateAsync<bool>("() => document.getElementById('card').contains(document.activeElement)")).ShouldBeTrue();

        await page.Keyboard.PressAsync("Escape");

        await Expect(card).ToBeHiddenAsync();
        (await browser.FocusedLabelAsync()).ShouldBe(CountryViewTests.MonitorMark);

        // Space opens it too, as on any button, and the card stays open (the key's release does not close it).
        await page.Keyboard.PressAsync(" ");
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Hayashi Yoshimasa" })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(300);
        await Expect(card).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(card).ToBeHiddenAsync();
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task tab_and_enter_switch_to_the_topic_view_and_pick_a_topic()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = CountryViewTests.MonitorMark, Exact = true })).ToBeVisibleAsync();

        await browser.TabToAsync("By topic");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("#/topic$"));
        await browser.TabToAsync("Topic");
        await page.Keyboard.TypeAsync("china-russia-relations");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("#/topic/china-russia-relations$"));
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Guarded (1)", Exact = true })).ToContainTextAsync("Japan (JPN)");
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task every_mark_is_a_focusable_button_with_a_label()
    {
        await using var browser = await site.OpenAsync("#/country/JPN");
        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = CountryViewTests.MonitorMark, Exact = true })).ToBeVisibleAsync();

        var marks = await page.Locator(".mark").EvaluateAllAsync<string[][]>(
            "marks => marks.map(m => [m.getAttribute('role'), m.getAttribute('tabindex'), m.getAttribute('aria-label') ?? ''])");

        marks.Length.ShouldBe(4);
        marks.ShouldAllBe(m => m[0] == "button" && m[1] == "0" && m[2].StartsWith("Japan, "));
        browser.ShouldHaveRunCleanly();
    }
}
