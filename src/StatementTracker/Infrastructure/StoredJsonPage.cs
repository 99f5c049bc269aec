using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace StatementTracker.Infrastructure;

/// <summary>
/// A page of documents written to the response as they are stored (their JSON text, unparsed), in
/// <c>{"items": [...], ...}</c> with the page's other fields written by <paramref name="fields"/>.
/// </summary>
public sealed class StoredJsonPage(IReadOnlyList<string> items, Action<Utf8JsonWriter> fields) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var item in items) writer.WriteRawValue(item, skipInputValidation: true);
        writer.WriteEndArray();
        fields(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
