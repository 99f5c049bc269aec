using System.Net;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace StatementTracker.BrowserTests;

/// <summary>When reads need the reader role, the page still loads, asks for a key on the API's 401, and then reads with it.</summary>
[Collection(TimelineCollection.Name)]
public class ApiKeyTests(TimelineSite site)
{
    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task the_page_loads_anonymously_asks_for_a_key_and_keeps_it_for_the_session_only()
    {
        using (var anonymous = new HttpClient { BaseAddress = site.ReaderOnlyService.BaseAddress })
        {
            (await anonymous.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await anonymous.GetAsync("/timeline/js/main.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await anonymous.GetAsync("/countries")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        await using var browser = await site.OpenReaderOnlyAsync("#/country/JPN");
        var page = browser.Page;

        var keyField = page.GetByLabel("API key");
        await Expect(keyField).ToBeVisibleAsync();
        await Expect(keyField).ToBeFocusedAsync();
        await keyField.FillAsync(TestKeys.Reader);
        await keyField.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = CountryViewTests.MonitorMark, Exact = true })).ToBeVisibleAsync();
        await Expect(keyField).ToBeHiddenAsync();
        (await page.EvaluateAsync<string?>("() => sessionStorage.getItem('statementtracker.apiKey')")).ShouldBe(TestKeys.Reader);
        (await page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0);
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldBeEmpty();
        browser.ShouldHaveRunCleanly();
    }

    [BoundedFact(Timeout = TestBounds.BrowserTest)]
    public async Task a_key_without_the_reader_role_is_refused_and_asked_for_again()
    {
        await using var browser = await site.OpenReaderOnlyAsync("#/topic/china-russia-relations");
        var page = browser.Page;

        var keyField = page.GetByLabel("API key");
        await keyField.FillAsync("not-a-key-this-service-knows");
        await keyField.PressAsync("Enter");

        await Expect(keyField).ToBeVisibleAsync();
        await Expect(page.Locator("#key-reason")).ToContainTextAsync("needs an API key");
        browser.ShouldHaveRunCleanly();
    }
}
