using JasperFx.Events.Projections;
using Marten;

namespace StatementTracker.Statements;

/// <summary>The statements module's Marten registration: stable event names and the statement document.</summary>
public static class Configuration
{
    public static void AddStatements(this StoreOptions options)
    {
        // Stored event names are part of the data: never change them, add new ones instead.
        options.Events.MapEventType<StatementRecorded>("statement_recorded");
        options.Events.MapEventType<StatementCorrected>("statement_corrected");
        options.Events.MapEventType<SourceAdded>("source_added");
        options.Events.MapEventType<StatementRetracted>("statement_retracted");

        options.Projections.Snapshot<Statement>(SnapshotLifecycle.Inline)
            .Index(s => s.Country)
            .Index(s => s.StatedWithin.From)
            .GinIndexJsonData();
    }
}
