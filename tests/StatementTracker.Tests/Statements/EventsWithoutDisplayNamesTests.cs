using System.Text;
using JasperFx.Events;
using Marten;
using Shouldly;
using StatementTracker.Statements;
using StatementTracker.Statements.Reading;
using Weasel.Core;

namespace StatementTracker.Tests.Statements;

/// <summary>Events stored before the actor's display name was kept still read, with the actor as it was and no name.</summary>
public class EventsWithoutDisplayNamesTests
{
    private static T Read<T>(string json)
    {
        var options = new StoreOptions();
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        return options.Serializer().FromJson<T>(new MemoryStream(Encoding.UTF8.GetBytes(json)));
    }

    [BoundedFact]
    public void an_event_stored_without_a_display_name_reads_with_none()
    {
        var old = Read<SourceAdded>(
            """{"statementId":"0190a0a0-0000-7000-8000-00000000beef","source":{"publisher":"NHK","url":null,"publishedOn":null},"addedBy":"test-editor"}""");

        old.AddedBy.ShouldBe("test-editor");
        old.AddedByName.ShouldBeNull();
        var shown = GetStatementHistoryEndpoint.ToHistoryEvent(new Event<SourceAdded>(old) { Version = 2, EventTypeName = "source_added" });
        shown.Actor.ShouldBe("test-editor");
        shown.ActorName.ShouldBeNull();
    }

    [BoundedFact]
    public void a_new_event_keeps_the_display_name_beside_the_identity()
    {
        var added = new SourceAdded(Guid.NewGuid(), new Source("NHK", null, null), "key:test-editor", "test-editor");

        var shown = GetStatementHistoryEndpoint.ToHistoryEvent(new Event<SourceAdded>(added) { Version = 2, EventTypeName = "source_added" });

        (shown.Actor, shown.ActorName).ShouldBe(("key:test-editor", "test-editor"));
    }
}
