namespace StatementTracker.Statements.Correcting;

/// <summary>One field a correction changed, with its value before and after.</summary>
public sealed record FieldChange(string Field, object? From, object? To);

public static class CorrectionChanges
{
    /// <summary>The fields that differ between two versions of a statement's content, in field order.</summary>
    public static IReadOnlyList<FieldChange> Between(StatementContent before, StatementContent after)
    {
        var changes = new List<FieldChange>();
        void Compare(string field, object? from, object? to, bool same)
        {
            if (!same) changes.Add(new FieldChange(field, from, to));
        }

        Compare("speaker", before.Speaker, after.Speaker, before.Speaker == after.Speaker);
        Compare("country", before.Country, after.Country, before.Country == after.Country);
        Compare("topics", before.Topics, after.Topics, before.Topics.SequenceEqual(after.Topics));
        Compare("position", before.Position, after.Position, before.Position == after.Position);
        Compare("stance", before.Stance, after.Stance, before.Stance == after.Stance);
        Compare("statedOn", before.StatedOn, after.StatedOn, before.StatedOn == after.StatedOn);
        Compare("quote", before.Quote, after.Quote, before.Quote == after.Quote);
        Compare("targets", before.Targets, after.Targets, before.Targets.SequenceEqual(after.Targets));
        Compare("occasion", before.Occasion, after.Occasion, before.Occasion == after.Occasion);
        return changes;
    }
}
