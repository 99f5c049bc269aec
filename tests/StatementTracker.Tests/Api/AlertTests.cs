using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Webhook subscriptions: signed alerts when a shift appears, retried until the receiver takes them.</summary>
[Collection(ApiCollection.Name)]
public class AlertTests(AppFixture app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _topic = StatementBodies.UniqueTopic("alerts");

    private async Task<Guid> SubscribeAsync(AlertReceiver receiver, string secret, string? country = null, string? topic = null)
    {
        var body = new JsonObject { ["url"] = receiver.Url.ToString(), ["secret"] = secret, ["country"] = country, ["topic"] = topic ?? _topic };
        var (status, answer, response) = await app.Host.PostJsonAsync("/subscriptions", body);
        status.ShouldBe(201, answer?.ToJsonString());
        answer!.AsObject().ContainsKey("secret").ShouldBeFalse();
        response.Headers.Location!.ToString().ShouldBe($"/subscriptions/{answer["id"]}");
        return answer["id"]!.GetValue<Guid>();
    }

    private Task<Guid> SayAsync(string country, string statedOn, string stance) =>
        app.Host.RecordAsync(StatementBodies.Valid(_topic, country, statedOn, position: $"states {stance}").With("stance", stance));

    private static string Signature(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    [BoundedFact]
    public async Task a_shift_sends_each_matching_subscription_one_signed_alert_with_the_shift_the_statement_and_links()
    {
        await using var receiver = new AlertReceiver();
        await using var otherCountry = new AlertReceiver();
        await SubscribeAsync(receiver, "first-secret-0123456789", country: "FIN");
        await SubscribeAsync(otherCountry, "second-secret-0123456789", country: "SWE");

        await SayAsync("FIN", "2024-01-10", "monitor");
        await SayAsync("FIN", "2024-02-10", "no-comment");
        var opposes = await SayAsync("FIN", "2024-03-10", "oppose");

        var alert = (await receiver.WaitUntilAsync(r => r.Count >= 1, Patience, "the alert")).Single();
        alert.AnsweredWith.ShouldBe(200);
        alert.Signature.ShouldBe(Signature(alert.Body, "first-secret-0123456789"));
        var body = JsonNode.Parse(alert.Body)!;
        body["alertId"]!.GetValue<string>().ShouldBe(alert.AlertId);
        body["shift"]!["country"]!.GetValue<string>().ShouldBe("FIN");
        body["shift"]!["topic"]!.GetValue<string>().ShouldBe(_topic);
        body["shift"]!["from"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        body["shift"]!["to"]!["stance"]!.GetValue<string>().ShouldBe("oppose");
        body["shift"]!["to"]!["family"]!.GetValue<string>().ShouldBe("critical");
        body["shift"]!["statementId"]!.GetValue<Guid>().ShouldBe(opposes);
        body["statement"]!["id"]!.GetValue<Guid>().ShouldBe(opposes);
        body["statement"]!["position"]!.GetValue<string>().ShouldBe("states oppose");
        new Uri(body["links"]!["statement"]!.GetValue<string>()).AbsolutePath.ShouldBe($"/statements/{opposes}");
        new Uri(body["links"]!["position"]!.GetValue<string>()).AbsolutePath.ShouldBe($"/countries/FIN/positions/{_topic}");

        await Task.Delay(TimeSpan.FromSeconds(1));
        receiver.Received.Count.ShouldBe(1, "one shift, one alert: the non-position made none");
        otherCountry.Received.ShouldBeEmpty();
    }

    [BoundedFact]
    public async Task a_correction_or_retraction_that_creates_a_shift_alerts_too()
    {
        await using var receiver = new AlertReceiver();
        await SubscribeAsync(receiver, "secret-for-corrections-0123");
        await SayAsync("EST", "2024-01-10", "monitor");
        var alsoMonitor = await SayAsync("EST", "2024-02-10", "monitor");
        var opposes = await SayAsync("EST", "2024-03-10", "oppose");
        await receiver.WaitUntilAsync(r => r.Count == 1, Patience, "the first shift");

        await app.Host.CorrectAsync(alsoMonitor, 1, new JsonObject { ["stance"] = "concern" }, "it was concern");
        var alerts = await receiver.WaitUntilAsync(r => r.Count == 3, Patience, "two shifts the correction created");
        alerts.Skip(1).Select(a => JsonNode.Parse(a.Body)!["shift"]!).Select(s => $"{s["from"]!["stance"]}->{s["to"]!["stance"]}").Order()
            .ShouldBe(["concern->oppose", "monitor->concern"]);

        await app.Host.RetractAsync(alsoMonitor, "never said");
        alerts = await receiver.WaitUntilAsync(r => r.Count == 4, Patience, "the shift the retraction created");
        var last = JsonNode.Parse(alerts[^1].Body)!["shift"]!;
        $"{last["from"]!["stance"]}->{last["to"]!["stance"]}:{last["statementId"]}".ShouldBe($"monitor->oppose:{opposes}");
        alerts.Select(a => a.AlertId).Distinct().Count().ShouldBe(4);
    }

    [BoundedFact]
    public async Task an_alert_the_receiver_refuses_is_sent_again_with_the_same_id_and_signature_until_it_is_taken()
    {
        await using var receiver = new AlertReceiver();
        receiver.Answers.Enqueue(500);
        var subscription = await SubscribeAsync(receiver, "retry-secret-0123456789");
        await SayAsync("LVA", "2024-01-10", "support");
        await SayAsync("LVA", "2024-02-10", "condemn");

        var attempts = await receiver.WaitUntilAsync(r => r.Any(a => a.AnsweredWith == 200), Patience, "the retried alert");

        attempts.Select(a => a.AnsweredWith).ShouldBe([500, 200]);
        attempts.Select(a => a.AlertId).Distinct().Count().ShouldBe(1);
        attempts.Select(a => a.Body).Distinct().Count().ShouldBe(1);
        attempts.ShouldAllBe(a => a.Signature == Signature(a.Body, "retry-secret-0123456789"));
        // The receiver has answered; the delivery is recorded just after its answer comes back.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonNode deliveries;
        while (!(deliveries = await app.Host.GetJsonAsync($"/subscriptions/{subscription}/deliveries"))["deliveries"]!.AsArray().Any(d => d!["delivered"]!.GetValue<bool>())
               && clock.Elapsed < Patience)
            await Task.Delay(50);
        deliveries["deliveries"]!.AsArray().Select(d => $"{d!["attempt"]}:{d["statusCode"]}:{d["delivered"]}").ShouldBe(["2:200:true", "1:500:false"]);
    }

    [BoundedFact]
    public async Task subscriptions_are_listed_without_their_secret_and_can_be_deleted()
    {
        await using var receiver = new AlertReceiver();
        var id = await SubscribeAsync(receiver, "listed-secret-0123456789", country: "Lithuania");

        var listed = (await app.Host.GetJsonAsync("/subscriptions")).AsArray().Single(s => s!["id"]!.GetValue<Guid>() == id)!;
        listed["country"]!.GetValue<string>().ShouldBe("LTU");
        listed["url"]!.GetValue<string>().ShouldBe(receiver.Url.ToString());
        listed.AsObject().ContainsKey("secret").ShouldBeFalse();

        (await app.Host.SendAsync(HttpMethod.Delete, $"/subscriptions/{id}")).Status.ShouldBe(204);
        (await app.Host.SendAsync(HttpMethod.Delete, $"/subscriptions/{id}")).Status.ShouldBe(404);
        (await app.Host.SendAsync(HttpMethod.Get, $"/subscriptions/{id}/deliveries")).Status.ShouldBe(404);
        (await app.Host.GetJsonAsync("/subscriptions")).AsArray().ShouldNotContain(s => s!["id"]!.GetValue<Guid>() == id);
    }

    [BoundedTheory]
    [InlineData("""{"url":"not a url","secret":"s"}""", "url")]
    [InlineData("""{"url":"ftp://example.org/hook","secret":"s"}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.org/hook","secret":"s"}""", "url")]
    [InlineData("""{"url":"https://example.org/hook"}""", "secret")]
    [InlineData("""{"url":"https://example.org/hook","secret":"  "}""", "secret")]
    [InlineData("""{"url":"https://example.org/hook","secret":"s","country":"Narnia"}""", "country")]
    [InlineData("""{"url":"https://example.org/hook","secret":"s","topic":"Not_A_Slug"}""", "topic")]
    [InlineData("""{"url":"https://example.org/hook","secret":"s","colour":"red"}""", "colour")]
    public async Task a_bad_subscription_answers_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var before = (await app.Host.GetJsonAsync("/subscriptions")).AsArray().Count;

        (await app.Host.SendAsync(HttpMethod.Post, "/subscriptions", body)).ShouldBeProblem(400).ErrorFields().ShouldBe([field]);
        (await app.Host.GetJsonAsync("/subscriptions")).AsArray().Count.ShouldBe(before);
    }

    [BoundedFact]
    public async Task subscriptions_need_the_analyst_role()
    {
        var body = """{"url":"https://example.org/hook","secret":"s"}""";
        (await app.Host.SendAsync(HttpMethod.Post, "/subscriptions", body, apiKey: null)).Status.ShouldBe(401);
        (await app.Host.SendAsync(HttpMethod.Post, "/subscriptions", body, apiKey: TestKeys.Reader)).Status.ShouldBe(403);
        (await app.Host.SendAsync(HttpMethod.Get, "/subscriptions", apiKey: TestKeys.Reader)).Status.ShouldBe(403);
        (await app.Host.SendAsync(HttpMethod.Delete, $"/subscriptions/{Guid.NewGuid()}", apiKey: null)).Status.ShouldBe(401);
    }
}

/// <summary>Where private targets are not allowed (the default), loopback and private networks are refused.</summary>
[Collection(ReaderOnlyCollection.Name)]
public class AlertTargetTests(ReaderOnlyFixture app)
{
    [BoundedTheory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://172.16.5.4/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    public async Task a_subscription_to_a_private_address_is_refused(string url)
    {
        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Post, "/subscriptions", new JsonObject { ["url"] = url, ["secret"] = "s" }.ToJsonString());

        status.ShouldBe(400);
        problem!["errors"]!["url"]![0]!.GetValue<string>().ShouldContain("private");
    }
}
