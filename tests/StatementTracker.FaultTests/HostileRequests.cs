using System.Text;
using System.Text.Json.Nodes;

namespace StatementTracker.FaultTests;

/// <param name="Expected">The one status the service must answer: each request is refused for a reason of its own.</param>
public sealed record HostileRequest(
    string Kind, HttpMethod Method, string Path, byte[]? Body, int Expected, string ContentType = "application/json", string? ApiKey = TestKeys.Editor);

/// <summary>
/// Malformed and hostile requests, each of which must be refused: broken and deeply nested JSON, wrong
/// types, huge numbers, control characters, invalid UTF-8, 1 MB strings, SQL and HTML injection, odd
/// path ids, unknown routes and methods. Generated from a seed, so a failure can be replayed.
/// </summary>
public static class HostileRequests
{
    private static readonly string[] Injections =
    [
        "'; DROP TABLE mt_events; --", "' OR '1'='1", "\" OR \"\"=\"", "1; SELECT pg_sleep(10)--", "') UNION SELECT * FROM pg_user--",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}",
        "../../etc/passwd", "%00", "\\u0000", "Robert'); DROP TABLE statements;--", "<svg/onload=alert(1)>",
    ];

    /// <summary>Fields whose values are checked against a closed vocabulary or format: any injection there is refused.</summary>
    private static readonly string[] StrictFields = ["country", "stance", "statedOn"];

    /// <summary>The service's default <c>Limits:MaxRequestBodyBytes</c>.</summary>
    private const int MaxBodyBytes = 262_144;

    /// <summary>The valid body the variants start from, with an id of its own each time.</summary>
    public static JsonObject Base() => StatementBodies.Valid(id: Guid.CreateVersion7());

    public static IReadOnlyList<HostileRequest> Generate(Guid existingStatement, int seed = 4_07_2024)
    {
        var random = new Random(seed);
        // Every variant below is refused for what it changes, nothing else: the test shows the base is recorded.
        var valid = Base();
        var validText = valid.ToJsonString();
        var requests = new List<HostileRequest>();
        // A body past the size limit is refused (413) before it is read, whatever else is wrong with it.
        void Post(string kind, string body, string path = "/statements", int expected = 400) =>
            requests.Add(new(kind, HttpMethod.Post, path, Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetByteCount(body) > MaxBodyBytes ? 413 : expected));
        void Get(string kind, string path, int expected = 400) => requests.Add(new(kind, HttpMethod.Get, path, null, expected));
        string Fresh(JsonObject body) => body.With("statementId", Guid.CreateVersion7().ToString()).ToJsonString();

        // Broken JSON: every prefix of a valid body, and random bytes.
        for (var length = 1; length < validText.Length; length++) Post("truncated JSON", validText[..length]);
        var correction = $"{{\"expectedVersion\":1,\"reason\":\"wrong date\",\"statedOn\":\"2024-07-03\"}}";
        for (var length = 1; length < correction.Length; length++) Post("truncated JSON", correction[..length], $"/statements/{existingStatement}/corrections");
        for (var i = 0; i < 800; i++)
        {
            var bytes = new byte[1 + random.Next(300)];
            random.NextBytes(bytes);
            requests.Add(new("random bytes", HttpMethod.Post, "/statements", bytes, 400));
        }
        foreach (var text in new[] { "", " ", "[]", "null", "42", "true", "\"statement\"", "{", "}", "{\"country\":\"JPN\",\"country\":\"CHN\"}", "{'country':'JPN'}", "{country: \"JPN\"}" })
            Post("not one JSON object", text);

        // Deep nesting, in the body and inside fields.
        foreach (var depth in new[] { 17, 64, 1000, 100_000 })
        {
            Post("deeply nested JSON", new string('[', depth) + new string(']', depth));
            Post("deeply nested JSON", string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
            Post("deeply nested field", validText.Replace("\"topics\":[", "\"topics\":" + new string('[', depth + 1)).Replace("relations\"]", "relations\"" + new string(']', depth + 1)));
        }

        // Wrong types in every field.
        JsonNode?[] notStrings = [42, -1.5, true, new JsonObject(), new JsonArray()];
        JsonNode?[] notArrays = ["taiwan", 42, true, new JsonObject()];
        JsonNode?[] notObjects = ["Hayashi", 42, true, new JsonArray()];
        foreach (var field in new[] { "country", "position", "stance", "statedOn", "quote", "occasion" })
            foreach (var value in notStrings) Post("wrong type", Fresh(valid.With(field, value?.DeepClone())));
        foreach (var field in new[] { "topics", "targets", "sources" })
            foreach (var value in notArrays) Post("wrong type", Fresh(valid.With(field, value?.DeepClone())));
        foreach (var value in notObjects) Post("wrong type", Fresh(valid.With("speaker", value?.DeepClone())));
        foreach (var value in notStrings) Post("wrong type", Fresh(valid.With("speaker", new JsonObject { ["name"] = value?.DeepClone() })));
        foreach (var field in new[] { "country", "position", "statedOn", "speaker" }) Post("missing or null", Fresh(valid.With(field, null)));

        // Huge and odd numbers.
        foreach (var number in new[] { "1e400", "-1e400", "99999999999999999999999999999", "1.7976931348623157e309", "-0", "NaN", "Infinity", "0x10" })
        {
            Post("huge number", validText.Replace("\"statedOn\":\"2024-07-04\"", $"\"statedOn\":{number}"));
            Post("huge number", validText.Replace($"\"statementId\":\"{valid["statementId"]}\"", $"\"statementId\":{number}"));
            Post("huge number", $"{{\"expectedVersion\":{number},\"reason\":\"r\",\"position\":\"opposes it\"}}", $"/statements/{existingStatement}/corrections");
            Get("huge number", $"/statements?page={number}");
            // The country summary holds no history (so takes no historyLimit); one topic's position does.
            Get("huge number", $"/countries/JPN/positions/china-russia-relations?historyLimit={number}");
        }
        foreach (var version in new[] { "0", "-5", "1.5", "9223372036854775808", "\"1\"" })
            Post("bad version", $"{{\"expectedVersion\":{version},\"reason\":\"r\",\"position\":\"opposes it\"}}", $"/statements/{existingStatement}/corrections");

        // Control characters, escaped and raw.
        foreach (var control in new[] { "\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u001b", "\u007f" })
        {
            foreach (var field in new[] { "position", "country", "occasion", "quote" })
                Post("control character", Fresh(valid.With(field, $"before{control}after")));
            Post("control character", Fresh(valid.With("speaker", new JsonObject { ["name"] = $"Hayashi{control}" })));
            Post("raw control byte", validText.Replace("Hayashi", $"Hay{control}ashi"));
        }
        Post("control character", Fresh(valid.With("position", "line one\nline two")));

        // Invalid UTF-8 inside strings.
        byte[][] invalidUtf8 = [[0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]];
        foreach (var sequence in invalidUtf8)
            foreach (var anchor in new[] { "Hayashi", "monitor", "JPN", "china" })
            {
                var text = Encoding.UTF8.GetBytes(validText);
                var at = validText.IndexOf(anchor, StringComparison.Ordinal) + 2;
                requests.Add(new("invalid UTF-8", HttpMethod.Post, "/statements", [.. text[..at], .. sequence, .. text[at..]], 400));
            }
        foreach (var escape in new[] { "\\ud800", "\\udfff", "\\ud83d", "\\uZZZZ", "\\x41", "\\" })
            Post("bad escape", validText.Replace("Hayashi", $"Hayashi{escape}"));

        // Oversized strings.
        var megabyte = new string('a', 1 << 20);
        foreach (var field in new[] { "position", "quote", "country", "occasion", "statedOn" }) Post("1 MB string", Fresh(valid.With(field, megabyte)));
        Post("1 MB string", Fresh(valid.With("topics", new JsonArray(megabyte))));
        Post("1 MB string", Fresh(valid.With("speaker", new JsonObject { ["name"] = megabyte })));
        Post("long string", Fresh(valid.With("position", new string('p', 501))));
        Post("long string", Fresh(valid.With("quote", new string('q', 5001))));
        // Unknown property names are echoed cut to 64 characters: the test checks no answer holds more of them.
        Post("long name", Fresh(valid.With(new string('n', 5000), "x")));
        Post("long name", new JsonObject { ["expectedVersion"] = 1, ["reason"] = "r", [new string('m', 5000)] = "x" }.ToJsonString(), $"/statements/{existingStatement}/corrections");
        Post("long name", Fresh(valid.With("speaker", new JsonObject { ["name"] = new string('s', 5000) })));
        Post("many topics", Fresh(valid.With("topics", new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode)$"topic-{i}").ToArray()))));
        Post("many sources", Fresh(valid.With("sources", new JsonArray(Enumerable.Range(0, 21).Select(i => (JsonNode)new JsonObject { ["url"] = $"https://x.org/{i}" }).ToArray()))));

        // SQL and HTML injection where the value is checked, in paths and in query strings.
        foreach (var injection in Injections)
        {
            foreach (var field in StrictFields)
            {
                Post("injection in a field", Fresh(valid.With(field, injection)));
                Post("injection in a correction", new JsonObject { ["expectedVersion"] = 1, ["reason"] = "r", [field] = injection }.ToJsonString(), $"/statements/{existingStatement}/corrections");
            }
            Post("injection in a source", new JsonObject { ["publisher"] = "X", ["url"] = injection }.ToJsonString(), $"/statements/{existingStatement}/sources");
            Post("injection in a topic", Fresh(valid.With("topics", new JsonArray(injection))));
            Post("injection in a target", Fresh(valid.With("targets", new JsonArray(injection))));
            Post("injection in a URL", Fresh(valid.With("sources", new JsonArray(new JsonObject { ["publisher"] = "X", ["url"] = injection }))));
            Post("injection as an id", Fresh(valid).Replace($"\"statementId\":\"", $"\"statementId\":\"{injection.Replace("\"", "\\\"")}"));
            var escaped = Uri.EscapeDataString(injection);
            // No statement, country, topic or projection has such a name: not found. A statement body is no
            // correction, and the body is refused before the id is looked up.
            Get("injection in a path", $"/statements/{escaped}", 404);
            Get("injection in a path", $"/statements/{escaped}/history", 404);
            Get("injection in a path", $"/countries/{escaped}/positions", 404);
            Get("injection in a path", $"/countries/JPN/positions/{escaped}", 404);
            Get("injection in a path", $"/topics/{escaped}/positions", 404);
            Post("injection in a path", Fresh(valid), $"/statements/{escaped}/corrections");
            Post("injection in a path", "{\"reason\":\"r\"}", $"/statements/{escaped}/retraction", 404);
            Post("injection in a path", "{\"publisher\":\"X\"}", $"/statements/{escaped}/sources", 404);
            Post("injection in a path", "{}", $"/admin/projections/{escaped}/rebuild", 404);
            foreach (var parameter in new[] { "country", "topic", "from", "to", "page", "pageSize", "status" })
                Get("injection in a query", $"/statements?{parameter}={escaped}");
            foreach (var parameter in new[] { "asOf", "knownAt" })
                Get("injection in a query", $"/countries/JPN/positions?{parameter}={escaped}");
            Get("injection in a query", $"/countries/JPN/positions/china-russia-relations?historyLimit={escaped}");
            Get("injection in a query", $"/statements/{existingStatement}?knownAt={escaped}");
            Get("injection in a query", $"/statements/{existingStatement}?version={escaped}");
            requests.Add(new("injection in a header", HttpMethod.Post, "/statements", Encoding.UTF8.GetBytes(Fresh(valid)), 401, ApiKey: injection.Replace("\0", "")));
        }

        // Odd ids and unknown statements.
        foreach (var id in new[] { Guid.Empty.ToString(), "ffffffff-ffff-ffff-ffff-ffffffffffff", "1", "-1", "1e10", "null", "undefined", "%F0%9F%98%80", "%2e%2e", new string('9', 4000), "0190a0a0-0000-7000-8000-00000000000g" })
        {
            // "/statements/%2e%2e" is no id: the server resolves it to "/", which serves the timeline page.
            // Valid bodies: the id alone is wrong, and no statement has it.
            if (id != "%2e%2e") Get("odd id", $"/statements/{id}", 404);
            Get("odd id", $"/statements/{id}/history", 404);
            Post("odd id", "{\"expectedVersion\":1,\"reason\":\"r\",\"position\":\"opposes it\"}", $"/statements/{id}/corrections", 404);
            Post("odd id", "{\"publisher\":\"NHK\"}", $"/statements/{id}/sources", 404);
            Post("odd id", "{\"reason\":\"misattributed\"}", $"/statements/{id}/retraction", 404);
        }

        // Unknown routes and methods.
        string[] routes = ["/statements", $"/statements/{existingStatement}", $"/statements/{existingStatement}/history", "/countries/JPN/positions", "/topics/taiwan/positions", "/admin/projections", "/health/ready"];
        foreach (var route in routes)
            foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, new HttpMethod("PURGE") })
                requests.Add(new("wrong method", method, route, Encoding.UTF8.GetBytes(validText), 405));
        // "/" serves the timeline page, and /countries and /topics list what the tracker holds: those answer
        // GET, so only other methods are refused there. Files the page does not have are unknown routes.
        foreach (var route in new[] { "/", "/countries", "/topics" })
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
                requests.Add(new("wrong method", method, route, Encoding.UTF8.GetBytes(validText), 405));
        string[] unknownRoutes =
        [
            "/api", "/statement", "/statements/a/b/c", "/countries/JPN", "/admin", "/admin/projections/x", "/.env", "/wp-admin", "/health",
            "/swagger", "/index.html", "/timeline", "/timeline/", "/timeline/nope.js", "/timeline/js/../../appsettings.json",
            "/timeline/%2e%2e/%2e%2e/appsettings.json", "/timeline/StatementTracker.dll",
        ];
        foreach (var route in unknownRoutes)
        {
            Get("unknown route", route, 404);
            // Paths under /timeline belong to the page's GET-only file route (the client resolves the dot segments
            // of the two others to the root): a POST there is a wrong method, anywhere else an unknown route.
            var underTimeline = route.StartsWith("/timeline", StringComparison.Ordinal) && !route.Contains("..") && !route.Contains("%2e");
            requests.Add(new("unknown route", HttpMethod.Post, route, Encoding.UTF8.GetBytes(validText), underTimeline ? 405 : 404));
        }

        // Bodies that are not JSON, and callers who are not who they say.
        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/html" })
            requests.Add(new("not JSON", HttpMethod.Post, "/statements", Encoding.UTF8.GetBytes(Fresh(valid)), 415, contentType));
        foreach (var key in new[] { "wrong-key", "", " ", TestKeys.Reader, new string('k', 5000) })
            requests.Add(new("bad credentials", HttpMethod.Post, "/statements", Encoding.UTF8.GetBytes(Fresh(valid)), key == TestKeys.Reader ? 403 : 401, ApiKey: key));

        return requests;
    }
}
