using Shouldly;

namespace StatementTracker.BrowserTests;

public class EveryTestIsBoundedTests
{
    [BoundedFact]
    public void every_test_in_this_project_declares_a_timeout() =>
        TestBounds.Unbounded(typeof(EveryTestIsBoundedTests).Assembly).ShouldBeEmpty("tests without a timeout: use [BoundedFact] or [BoundedTheory]");
}
