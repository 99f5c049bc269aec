using Marten;
using StatementTracker.Infrastructure;

namespace StatementTracker.Positions.Alignment;

/// <summary>Another country's agreement with one country, over the topics both have comparable substantive stances on.</summary>
public sealed record CountryAgreement(string Country, int CommonTopics, int SameFamily, int SameStance);

/// <summary>Alignment worked out in SQL, where it ranges over every other country.</summary>
public static class AlignmentQueries
{
    /// <summary>
    /// Every other country with at least <paramref name="minCommonTopics"/> common topics with <paramref name="country"/>,
    /// with its counts (ranking happens in SQL, so the answer stays small however many countries there are).
    /// </summary>
    public static Task<List<CountryAgreement>> AgreementsAsync(
        IQuerySession session, string country, int minCommonTopics, PositionView view, CancellationToken cancellation)
    {
        var (entries, summaries) = PositionQueries.Tables(session);
        var stances = view.IsPresent
            ? $"""
               mine as (
                 select topic, current_stance as stance, current_family as family, current_targets as targets
                 from {summaries} where country = @country and current_substantive),
               theirs as (
                 select m.country, m.topic, m.current_stance as stance, m.current_family as family, m.current_targets as targets
                 from {summaries} m join mine using (topic)
                 where m.country <> @country and m.current_substantive)
               """
            : $"""
               mine as (
                 select distinct on (e.topic) e.topic, e.stance, e.family, e.targets from {entries} e
                 where e.country = @country and e.substantive and {view.Visible()}
                 order by e.topic, {PositionEntriesTable.Order("e", descending: true)}),
               theirs as (
                 select distinct on (e.country, e.topic) e.country, e.topic, e.stance, e.family, e.targets from {entries} e
                 where e.topic in (select topic from mine) and e.country <> @country and e.substantive and {view.Visible()}
                 order by e.country, e.topic, {PositionEntriesTable.Order("e", descending: true)})
               """;
        var sql = $"""
            with {stances},
            compared as (
              select t.country, t.family = m.family as same_family, t.stance = m.stance as same_stance
              from theirs t join mine m using (topic)
              where t.targets = m.targets)
            select country, count(*)::int as common_topics,
              count(*) filter (where same_family)::int as same_family,
              count(*) filter (where same_stance)::int as same_stance
            from compared
            group by country
            having count(*) >= @min_common_topics
            order by count(*) filter (where same_family)::float / count(*) desc, count(*) desc, country
            """;
        return session.ListAsync(sql, view.Parameters(new { country, min_common_topics = minCommonTopics }),
            row => new CountryAgreement(row.Get<string>("country"), row.Get<int>("common_topics"), row.Get<int>("same_family"), row.Get<int>("same_stance")),
            cancellation);
    }
}
