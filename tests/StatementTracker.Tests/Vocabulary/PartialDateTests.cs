using Shouldly;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Vocabulary;

public class PartialDateTests
{
    [BoundedTheory]
    [InlineData("2024", DatePrecision.Year, "2024-01-01", "2024-12-31")]
    [InlineData("2024-07", DatePrecision.Month, "2024-07-01", "2024-07-31")]
    [InlineData("2024-02", DatePrecision.Month, "2024-02-01", "2024-02-29")]
    [InlineData("2024-07-04", DatePrecision.Day, "2024-07-04", "2024-07-04")]
    public void a_partial_date_keeps_its_precision_and_spans_its_days(string text, DatePrecision precision, string first, string last)
    {
        var date = PartialDate.Parse(text);

        date.Precision.ShouldBe(precision);
        date.FirstDay.ShouldBe(DateOnly.Parse(first));
        date.LastDay.ShouldBe(DateOnly.Parse(last));
        date.ToString().ShouldBe(text);
    }

    [BoundedTheory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("2024-7")]
    [InlineData("2024-07-4")]
    [InlineData("2024-13")]
    [InlineData("2023-02-29")]
    [InlineData("2024-07-04T10:00")]
    [InlineData("2024/07/04")]
    [InlineData("July 2024")]
    [InlineData("２０２４")]
    [InlineData("2024-")]
    [InlineData("2024-07-")]
    [InlineData("20240704")]
    [InlineData("2024_07-04")]
    [InlineData("2024-07_04")]
    [InlineData("0000")]
    [InlineData("2024-00")]
    [InlineData("2024-07-00")]
    [InlineData("-024-07-04")]
    public void text_that_is_not_a_year_month_or_day_is_not_a_partial_date(string text) =>
        PartialDate.TryParse(text, out _).ShouldBeFalse();

    [BoundedFact]
    public void dates_order_by_their_first_day_then_by_precision()
    {
        string[] shuffled = ["2024-07-04", "2024", "2023-12-31", "2024-07", "2024-01-01"];

        shuffled.Select(PartialDate.Parse).Order().Select(d => d.ToString())
            .ShouldBe(["2023-12-31", "2024", "2024-01-01", "2024-07", "2024-07-04"]);
    }
}
