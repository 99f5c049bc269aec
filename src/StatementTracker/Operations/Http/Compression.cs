using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace StatementTracker.Operations.Http;

/// <summary>
/// Brotli or gzip, whichever the client prefers in <c>Accept-Encoding</c>, on every text answer, HTTPS
/// included: answers carry no secret a compression side channel (BREACH) could recover, since keys and
/// tokens are never echoed. Fastest levels: the service shares two cores with its database.
/// </summary>
public static class Compression
{
    private static readonly string[] ExtraMimeTypes =
        ["application/problem+json", "application/x-ndjson", "application/atom+xml", "text/csv", "image/svg+xml"];

    public static IServiceCollection AddStatementTrackerCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(ExtraMimeTypes);
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }
}
