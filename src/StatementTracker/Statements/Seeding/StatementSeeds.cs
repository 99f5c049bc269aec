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

            var valid = new List<(string Where, StatementRecorded Recorded)>();
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
                valid.Add((where, command.ToEvent(id, Actor)));
            }

            // Each seed on its own, so that one taken id does not keep the others out.
            var statements = new NewStatements(store);
            var outcomes = await statements.CommitAsync(valid.Select(v => (IReadOnlyList<StatementRecorded>)[v.Recorded]).ToArray(), statements.Prepare, bulk: false, cancellation);
            foreach (var ((where, seed), outcome) in valid.Zip(outcomes))
            {
                if (outcome.IsConflict) problems.Add($"{where}: statement {seed.StatementId} is already recorded with different content");
                else if (outcome.Results[0].Kind == RecordingOutcome.Recorded) recorded++;
                else alreadyPresent++;
            }
        }

        return new SeedReport(recorded, alreadyPresent, problems);
    }
}
