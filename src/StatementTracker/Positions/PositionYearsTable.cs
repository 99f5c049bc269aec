using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// The present totals of each long history (a country and topic with at least <see cref="LongHistory"/> present
/// rows) by the year its rows were stated in: rows and shifts. A summary at a past date counts what precedes the
/// date's year from here instead of from every row, so its cost no longer grows with the history. Shorter
/// histories have no rows here: they are counted from their entries, at most <see cref="LongHistory"/> index entries.
/// Kept by the projection with each batch, and made by a rebuild from its entries and shifts.
/// </summary>
public static class PositionYearsTable
{
    public const string TableName = "st_position_years";

    /// <summary>From how many present rows a history is counted by year.</summary>
    public const int LongHistory = 64;

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema) => new YearsTable(schema);

    /// <summary>
    /// The rows of the long histories among <paramref name="pairs"/> (a query of country, topic), counted from the
    /// present <paramref name="entries"/> and <paramref name="shifts"/>: columns country, topic, year, history_total, shifts_total.
    /// </summary>
    public static string CountsSql(string entries, string shifts, string pairs) =>
        $"""
         select h.country, h.topic, h.year, h.history_total, coalesce(s.shifts_total, 0) as shifts_total
         from (
           select e.country, e.topic, extract(year from e.stated_from)::int as year, count(*)::int as history_total
           from ({pairs}) p join {entries} e on e.country = p.country and e.topic = p.topic and e.known_until is null
           group by 1, 2, 3) h
         left join (
           select s.country, s.topic, extract(year from s.stated_from)::int as year, count(*)::int as shifts_total
           from ({pairs}) p join {shifts} s on s.country = p.country and s.topic = p.topic
           group by 1, 2, 3) s on s.country = h.country and s.topic = h.topic and s.year = h.year
         """;

    /// <summary>The long histories of a summaries table, as the pairs <see cref="CountsSql"/> counts.</summary>
    public static string LongHistories(string summaries) =>
        $"select m.country, m.topic from {summaries} m where m.history_total >= {LongHistory}";

    /// <summary>
    /// Created, it is filled from the position tables already there, so that a database made before it (whose
    /// projection has no reason to replay) has the counts its dated summaries read.
    /// </summary>
    private sealed class YearsTable : Table
    {
        private readonly string _schema;

        public YearsTable(string schema) : base(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General))
        {
            _schema = schema;
            AddColumn<string>("country").AsPrimaryKey();
            AddColumn<string>("topic").AsPrimaryKey();
            AddColumn<int>("year").AsPrimaryKey();
            AddColumn<int>("history_total").NotNull();
            AddColumn<int>("shifts_total").NotNull();
        }

        public override void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            base.WriteCreateStatement(migrator, writer);
            writer.WriteLine(
                $"insert into {QualifiedName(_schema)} (country, topic, year, history_total, shifts_total) " +
                CountsSql(PositionEntriesTable.QualifiedName(_schema), PositionShiftsTable.QualifiedName(_schema),
                    LongHistories(PositionSummariesTable.QualifiedName(_schema))) + ";");
        }
    }
}
