using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using StatementTracker.ClientCheck.Generated;
using StatementTracker.ClientCheck.Generated.Models;

// Uses the generated client as a client author would: record, correct, read the position, read the history.
// Usage: StatementTracker.ClientCheck BASE_URL API_KEY. Exit code 0 when every answer is what the API promises.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: StatementTracker.ClientCheck BASE_URL API_KEY");
    return 2;
}

// Kiota's own API key provider insists on https; the test service listens on plain http on loopback.
var auth = new HeaderApiKey(args[1]);
var client = new StatementTrackerClient(new HttpClientRequestAdapter(auth) { BaseUrl = args[0].TrimEnd('/') });
var failures = new List<string>();
void Check(bool holds, string what)
{
    Console.WriteLine($"{(holds ? "ok  " : "FAIL")} {what}");
    if (!holds) failures.Add(what);
}

var id = Guid.NewGuid();
var topic = $"kiota-{id:N}"[..20];
var recorded = await client.Statements.PostAsync(new RecordStatement
{
    StatementId = id,
    Speaker = new RecordStatement_speaker { Name = "Hayashi Yoshimasa", Role = "Chief Cabinet Secretary" },
    Country = "JPN",
    Topics = [topic],
    Position = "will closely monitor the development of China-Russia relations",
    StatedOn = "2024-07-04",
    Sources = [new RecordStatement_sources { Publisher = "TV Asahi", Url = "https://news.tv-asahi.co.jp/news_politics/articles/000355000.html" }],
});
Check(recorded?.Id == id && recorded.Version == 1, "recording answers the id and version 1");

var corrected = await client.Statements[id.ToString()].Corrections.PostAsync(new CorrectStatement
{
    ExpectedVersion = 1,
    Reason = "The minister said he opposes them.",
    Position = "opposes the joint drills",
});
Check(corrected?.Version == 2, "the correction answers version 2");

var statement = await client.Statements[id.ToString()].GetAsync();
Check(statement?.Position == "opposes the joint drills" && statement.Corrections == 1 && statement.StatedOn == "2024-07-04",
    "the statement reads back corrected, with its partial date as text");

TopicPosition? position = null;
for (var attempt = 0; attempt < 150 && position?.Current?.Stance != "oppose"; attempt++)
{
    try { position = await client.Countries["JPN"].Positions[topic].GetAsync(); }
    catch (ApiException) { } // not projected yet
    if (position?.Current?.Stance != "oppose") await Task.Delay(200);
}
Check(position?.Current?.Stance == "oppose" && position.Current.Family == "critical", "the position shows the corrected stance and its family");

var history = await client.Statements[id.ToString()].History.GetAsync();
Check(history?.Events?.Count == 2 && history.Events[1].Type == "statement_corrected", "the history holds the recording and the correction");

try
{
    await client.Statements.PostAsync(new RecordStatement { Country = "JPN" });
    Check(false, "an invalid statement is refused");
}
catch (ApiException refused)
{
    Check(refused.ResponseStatusCode == 400, "an invalid statement is refused with 400");
}

Console.WriteLine(failures.Count == 0 ? "The generated client works." : $"{failures.Count} check(s) failed.");
return failures.Count == 0 ? 0 : 1;

/// <summary>Sends the API key in the X-Api-Key header.</summary>
internal sealed class HeaderApiKey(string key) : IAuthenticationProvider
{
    public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? context = null, CancellationToken cancellation = default)
    {
        request.Headers.Add("X-Api-Key", key);
        return Task.CompletedTask;
    }
}
