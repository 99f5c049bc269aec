using System.Diagnostics;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.ApiDescription;

[Collection(ApiCollection.Name)]
public class OpenApiDocumentTests(AppFixture app, ITestOutputHelper output)
{
    private async Task<JsonNode> DocumentAsync() => await app.Host.GetJsonAsync("/openapi/v1.json", apiKey: null);

    /// <summary>Writes the document where the linter and the client generator read it.</summary>
    public static async Task<string> WriteDocumentAsync(AppFixture app)
    {
        var document = await app.Host.GetJsonAsync("/openapi/v1.json", apiKey: null);
        var path = Path.Combine(Path.GetTempPath(), $"statementtracker-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document.ToJsonString());
        return path;
    }

    [BoundedFact]
    public async Task every_endpoint_is_described_with_its_success_shape_its_problems_and_its_security()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        foreach (var path in new[] { "/statements", "/statements/{id}", "/statements/batch", "/statements/{id}/corrections", "/countries/{code}/positions",
                     "/countries/{code}/positions/{topic}", "/topics/{topic}/positions", "/topics/{topic}/alignment", "/shifts", "/imports",
                     "/exports/statements.csv", "/admin/projections" })
            paths.ContainsKey(path).ShouldBeTrue($"{path} is not described");

        foreach (var (path, item) in paths)
        foreach (var (method, operation) in item!.AsObject())
        {
            var responses = operation!["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToArray();
            success.ShouldNotBeEmpty($"{method} {path} has no success response");
            foreach (var (status, response) in success.Where(r => r.Key != "204"))
                response!["content"].ShouldNotBeNull($"{method} {path} {status} has no typed content");
            responses.ContainsKey("429").ShouldBeTrue($"{method} {path}");
            responses["400"]!["content"]!["application/problem+json"]!["schema"].ShouldNotBeNull();
            if (method != "get") operation["security"]!.AsArray().ShouldNotBeEmpty($"{method} {path} names no security");
        }
        document.ToJsonString().ShouldNotContain("#/components/schemas/IResult");
        foreach (var write in new[] { "/statements", "/statements/{id}/corrections", "/statements/{id}/sources", "/statements/{id}/retraction", "/subscriptions" })
            paths[write]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"].ShouldNotBeNull($"POST {write} describes no body");
        paths["/statements/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>()
            .ShouldBe("#/components/schemas/Statement");
        var record = document["components"]!["schemas"]!["RecordStatement"]!;
        record["required"]?.AsArray().Select(r => r!.GetValue<string>()).ShouldNotContain("statementId");
        record["properties"]!["position"].ShouldNotBeNull();
        // The example is the seed's headline statement.
        record["examples"]![0]!["country"]!.GetValue<string>().ShouldBe("JPN");
        record["examples"]![0]!["topics"]![0]!.GetValue<string>().ShouldBe("china-russia-relations");
        document["components"]!["securitySchemes"]!["apiKey"]!["name"]!.GetValue<string>().ShouldBe("X-Api-Key");
        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        paths["/admin/projections"]!["get"]!["security"]!.AsArray().ShouldNotBeEmpty();
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task the_document_passes_the_openapi_linter()
    {
        var tools = Path.Combine(Repository.Root, "tests", "openapi-lint");
        var linter = Path.Combine(tools, "node_modules", ".bin", "redocly");
        // The README's test command alone must do: install the pinned linter when it is missing.
        if (!File.Exists(linter)) (await RunAsync(tools, "npm", "ci", "--no-audit", "--no-fund")).ShouldBe(0, "npm ci in tests/openapi-lint failed");
        File.Exists(linter).ShouldBeTrue("the linter is missing: run `npm ci` in tests/openapi-lint");
        var document = await WriteDocumentAsync(app);

        var start = new ProcessStartInfo(linter, ["lint", document, "--config", Path.Combine(tools, "redocly.yaml"), "--format", "stylish"])
        {
            WorkingDirectory = tools,
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        var (exitCode, text) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(2));
        output.WriteLine(text);

        exitCode.ShouldBe(0, text);
    }

    private async Task<int> RunAsync(string directory, string program, params string[] arguments)
    {
        var (exitCode, text) = await ChildProcess.RunAsync(new ProcessStartInfo(program, arguments) { WorkingDirectory = directory }, TimeSpan.FromMinutes(2));
        output.WriteLine($"$ {program} {string.Join(' ', arguments)}\n{text}");
        return exitCode;
    }

    [BoundedFact]
    public async Task the_interactive_reference_is_served_without_a_cdn()
    {
        using var client = app.Host.Server.CreateClient();
        var page = await client.GetStringAsync("/docs/");

        page.ShouldContain("openapi/v1.json");
        page.ShouldNotContain("cdn.jsdelivr.net");
        page.ShouldNotContain("unpkg.com");
        var scripts = System.Text.RegularExpressions.Regex.Matches(page, "<script[^>]+src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        scripts.ShouldNotBeEmpty();
        foreach (var script in scripts)
        {
            script.ShouldNotStartWith("http", Case.Insensitive, $"{script} is loaded from elsewhere");
            (await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), script))).IsSuccessStatusCode.ShouldBeTrue(script);
        }
    }
}
