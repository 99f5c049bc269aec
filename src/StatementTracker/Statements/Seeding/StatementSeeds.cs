using System.Text.Json;
using FluentValidation;
using Marten;
using StatementTracker.Infrastructure;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Statements.Seeding;

public sealed record SeedReport(int Recorded, int AlreadyPresent, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Loads seed statements (JSON arrays of <see cref="RecordStatement"/>, each with a fixed
/// statementId) through the same validation and recording as <c>POST /statements</c>, so loading
/// them again changes nothing.
/// </summary>
public static class StatementSeeds
{
    public const string Actor = "seed";

    public static async Task<SeedReport> LoadAsync(
        IDocumentStore store, IValidator<RecordStatement> validator, string directory, CancellationToken cancellation = default)
    {
        int recorded = 0, alreadyPresent = 0;
        var problems = new List<string>();

        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            RecordStatement[] commands;
            await using (var stream = File.OpenRead(file))
            {
                try
                {
                    commands = await JsonSerializer.DeserializeAsync<RecordStatement[]>(stream, StrictJsonBody.Options, cancellation) ?? [];
                }
                catch (JsonException ex)
                {
                    problems.Add($"{Path.GetFileName(file)}: not a JSON array of statements ({ex.Message})");
                    continue;
                }
            }

            foreach (var (command, index) in commands.Select((c, i) => (c, i)))
            {
                var where = $"{Path.GetFileName(file)}[{index}]";
                if (command.StatementId is not { } id)
                {
                    problems.Add($"{where}: a seed needs a fixed statementId, or loading it twice would record it twice");
                    continue;
                }
                var validation = await validator.ValidateAsync(command, cancellation);
                if (!validation.IsValid)
                {
                    problems.AddRange(validation.Errors.Select(e => $"{where}.{e.PropertyName}: {e.ErrorMessage}"));
                    continue;
                }

                await using var session = store.LightweightSession();
                var result = await StatementRecording.RecordAsync(session, command.ToEvent(id, Actor), cancellation);
                switch (result.Kind)
                {
                    case RecordingOutcome.Recorded: recorded++; break;
                    case RecordingOutcome.AlreadyRecorded: alreadyPresent++; break;
                    default: problems.Add($"{where}: statement {id} is already recorded with different content"); break;
                }
            }
        }

        return new SeedReport(recorded, alreadyPresent, problems);
    }
}
