// Exit 0 when the service answers 2xx on its liveness path, 1 otherwise (Docker HEALTHCHECK semantics).
// The port is the first of ASPNETCORE_HTTP_PORTS, as the service itself listens; the path may be given.
var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080";
var port = ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
var path = args.Length > 0 ? args[0] : "/health/live";
using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
try
{
    using var response = await client.GetAsync($"http://127.0.0.1:{port}{path}");
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
{
    Console.Error.WriteLine($"healthcheck: {e.Message}");
    return 1;
}
