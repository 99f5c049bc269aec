using Shouldly;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Vocabulary;

public class StanceInferenceTests
{
    [BoundedTheory]
    [InlineData("will closely monitor the development of China-Russia relations", "monitor")]
    [InlineData("will watch the situation closely", "monitor")]
    [InlineData("oppose foreign intervention in China's internal affairs", "oppose")]
    [InlineData("will refrain from commenting on the meetings of third countries", "no-comment")]
    [InlineData("declined to comment on the talks", "no-comment")]
    [InlineData("expresses concern over the military drills", "concern")]
    [InlineData("is deeply concerned about the escalation", "concern")]
    [InlineData("urge a political resolution", "urge")]
    [InlineData("calls on both sides to exercise restraint", "urge")]
    [InlineData("condemns the missile launch", "condemn")]
    [InlineData("rejects the tribunal's ruling", "reject")]
    [InlineData("demands the immediate release of the crew", "demand")]
    [InlineData("warns against unilateral changes to the status quo", "warn")]
    [InlineData("welcomes the ceasefire agreement", "welcome")]
    [InlineData("pledges to deepen economic cooperation", "commit")]
    [InlineData("should further enhance comprehensive strategic cooperation", "commit")]
    [InlineData("supports safeguarding China's core interests and opposes foreign intervention", "support")]
    [InlineData("does not support the resolution", "oppose")]
    public void a_position_s_leading_phrase_gives_its_stance(string position, string stance)
    {
        var inferred = StanceInference.Infer(position);

        inferred.Stance.ShouldBe(stance);
        inferred.Recognised.ShouldBeTrue();
    }

    [BoundedTheory]
    [InlineData("held talks in Astana")]
    [InlineData("the committee met on Tuesday")]
    [InlineData("")]
    public void a_position_no_rule_recognises_is_unclassified(string position)
    {
        var inferred = StanceInference.Infer(position);

        inferred.Stance.ShouldBe(Stances.Unclassified);
        inferred.Recognised.ShouldBeFalse();
    }
}
