using System.Security.Claims;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Security;
using Wolverine.Http;

namespace StatementTracker.Statements.Recording;

public sealed record BatchItemResult(Guid Id, long Version, string Outcome);

public sealed record BatchRecorded(IReadOnlyList<BatchItemResult> Items);

/// <summary>
/// <c>POST /statements/batch</c>: up to <see cref="MaxItems"/> statements as a JSON array, or as JSON Lines
/// (<c>application/x-ndjson</c>), recorded all or nothing in one transaction. Any invalid item makes it a 400
/// whose <c>errors</c> are keyed by item and field (<c>[3].country</c>); any item whose id exists with other
/// content makes it a 409 naming the items. Otherwise 201 with each item's id and outcome, in order.
/// A batch weighs as many requests as it holds statements against the caller's rate limit.
/// </summary>
public static class RecordBatchEndpoint
{
    public const int MaxItems = 1000;
    public const string Recorded = "recorded";
    public const string AlreadyRecorded = "alreadyRecorded";

    [Authorize(Policy = Policies.Write)]
    [TakesBatches]
    [ProducesResponseType(typeof(BatchRecorded), 201)]
    [WolverinePost("/statements/batch")]
    public static async Task<IResult> Post(
        HttpContext context, IValidator<RecordStatement> validator, StatementWriter writer, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (commands, problem) = await StatementBatches.ReadAsync(context.Request, validator, cancellation);
        if (problem is not null) return problem.ToResult();
        if (RequestLimits.RefuseExtraWeight(context, commands!.Count - 1) is { } tooMany) return tooMany;

        var (actor, actorName) = (Actors.IdOf(user), Actors.DisplayNameOf(user));
        var recorded = commands.Select(c => c.ToEvent(c.IdOrNew(), actor, actorName)).ToArray();
        var outcome = await writer.RecordAsync(recorded, cancellation);
        if (outcome.IsConflict)
        {
            var conflict = Problems.Conflict(
                $"{outcome.Conflicts.Count} statement id(s) of the batch were already recorded, or given earlier in the batch, with different content; " +
                "nothing was recorded. Post corrections to change recorded statements, or use new statementIds.");
            conflict.Extensions["conflicts"] = outcome.Conflicts.Select(i => new { index = i, id = recorded[i].StatementId }).ToArray();
            return conflict.ToResult();
        }
        return Results.Json(
            new BatchRecorded(recorded.Zip(outcome.Results, (r, result) =>
                new BatchItemResult(r.StatementId, result.Version, result.Kind == RecordingOutcome.Recorded ? Recorded : AlreadyRecorded)).ToArray()),
            statusCode: StatusCodes.Status201Created);
    }
}

/// <summary>Reads a batch body strictly: a JSON array or JSON Lines of statements, each checked like a single POST.</summary>
public static class StatementBatches
{
    public const string JsonLines = "application/x-ndjson";

    private static readonly string EmptyBatch = $"The batch is empty: send 1 to {RecordBatchEndpoint.MaxItems} statements.";

    public static async Task<(IReadOnlyList<RecordStatement>? Commands, ProblemDetails? Problem)> ReadAsync(
        HttpRequest request, IValidator<RecordStatement> validator, CancellationToken cancellation)
    {
        var contentType = request.ContentType ?? "";
        var lines = contentType.StartsWith(JsonLines, StringComparison.OrdinalIgnoreCase)
                    || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase);
        if (!lines && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.UnsupportedMediaType($"The batch must be a JSON array (application/json) or JSON Lines ({JsonLines})."));

        List<RecordStatement?> commands;
        var errors = new Dictionary<string, string[]>();
        try
        {
            commands = lines ? await ReadLinesAsync(request.Body, errors, cancellation) : await ReadArrayAsync(request.Body, errors, cancellation);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.PayloadTooLarge());
        }
        catch (Exception ex) when (ex is DecoderFallbackException or InvalidOperationException or ArgumentException)
        {
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["The batch is not valid UTF-8 JSON."] }));
        }
        if (errors.Count > 0) return (null, Problems.Validation(errors));
        if (commands.Count == 0)
            return (null, Problems.Invalid("$", EmptyBatch));
        if (commands.Count > RecordBatchEndpoint.MaxItems)
            return (null, Problems.Invalid("$", $"At most {RecordBatchEndpoint.MaxItems} statements per batch; this one has {commands.Count}."));

        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is not { } command)
            {
                errors[$"[{i}]"] = ["Must be a statement object."];
                continue;
            }
            var result = await validator.ValidateAsync(command, cancellation);
            foreach (var group in result.Errors.GroupBy(e => e.PropertyName))
                errors[$"[{i}].{group.Key}"] = group.Select(e => e.ErrorMessage).Distinct().ToArray();
        }
        return errors.Count > 0 ? (null, Problems.Validation(errors)) : (commands!, null);
    }

    private static async Task<List<RecordStatement?>> ReadArrayAsync(Stream body, Dictionary<string, string[]> errors, CancellationToken cancellation)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<List<RecordStatement?>>(body, StrictJsonBody.Options, cancellation)
                   ?? [];
        }
        catch (JsonException ex)
        {
            foreach (var (field, messages) in JsonErrors.Describe(ex)) errors[field] = messages;
            // The shared descriptions speak of a single statement's body: at the top, a batch is an array.
            if (errors.TryGetValue("$", out var top) && top is [JsonErrors.NotAnObject or JsonErrors.EmptyBody])
                errors["$"] = [top[0] == JsonErrors.EmptyBody
                    ? EmptyBatch
                    : $"A batch sent as application/json must be a JSON array of statements (JSON Lines go as {JsonLines})."];
            return [];
        }
    }

    /// <summary>One statement per line; blank lines are skipped; items are numbered from 0 as they appear.</summary>
    private static async Task<List<RecordStatement?>> ReadLinesAsync(Stream body, Dictionary<string, string[]> errors, CancellationToken cancellation)
    {
        var commands = new List<RecordStatement?>();
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var index = commands.Count;
            if (index >= RecordBatchEndpoint.MaxItems)
            {
                commands.Add(null);
                continue;
            }
            try
            {
                commands.Add(JsonSerializer.Deserialize<RecordStatement>(line, StrictJsonBody.Options));
            }
            catch (JsonException ex)
            {
                foreach (var (field, messages) in JsonErrors.Describe(ex))
                    errors[field == "$" ? $"[{index}]" : $"[{index}].{field}"] = messages;
                commands.Add(null);
            }
        }
        return commands;
    }
}
