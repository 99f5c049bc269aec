using Shouldly;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Vocabulary;

public class StanceFamiliesTests
{
    [BoundedTheory]
    [InlineData("support", "favourable")]
    [InlineData("welcome", "favourable")]
    [InlineData("commit", "favourable")]
    [InlineData("oppose", "critical")]
    [InlineData("condemn", "critical")]
    [InlineData("reject", "critical")]
    [InlineData("warn", "critical")]
    [InlineData("demand", "critical")]
    [InlineData("concern", "guarded")]
    [InlineData("urge", "guarded")]
    [InlineData("monitor", "guarded")]
    [InlineData("no-comment", "none")]
    [InlineData("unclassified", "none")]
    public void each_stance_belongs_to_its_family(string stance, string family) =>
        StanceFamilies.Of(stance).ShouldBe(family);

    [BoundedFact]
    public void every_stance_a_client_may_state_and_unclassified_has_exactly_one_family() =>
        Stances.Codes.Append(Stances.Unclassified)
            .ShouldAllBe(stance => StanceFamilies.Members.Count(m => m.Stances.Contains(stance)) == 1);

    [BoundedFact]
    public void only_no_comment_and_unclassified_are_non_positions() =>
        Stances.Codes.Append(Stances.Unclassified).Where(s => !StanceFamilies.IsSubstantive(s)).ShouldBe(["no-comment", "unclassified"]);
}
