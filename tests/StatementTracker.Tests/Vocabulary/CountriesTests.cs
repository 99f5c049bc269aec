using Shouldly;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Vocabulary;

public class CountriesTests
{
    [BoundedTheory]
    [InlineData("JPN", "JPN")]
    [InlineData("jpn", "JPN")]
    [InlineData("JP", "JPN")]
    [InlineData("Japan", "JPN")]
    [InlineData("  japan ", "JPN")]
    [InlineData("United States", "USA")]
    [InlineData("the U.S.", "USA")]
    [InlineData("US", "USA")]
    [InlineData("Russian Federation", "RUS")]
    [InlineData("Russia", "RUS")]
    [InlineData("People's Republic of China", "CHN")]
    [InlineData("Côte d'Ivoire", "CIV")]
    [InlineData("Cote d'Ivoire", "CIV")]
    [InlineData("Kazakhstan", "KAZ")]
    [InlineData("Philippines", "PHL")]
    [InlineData("European Union", "EU")]
    [InlineData("NATO", "NATO")]
    public void codes_and_english_names_normalise_to_the_canonical_code(string given, string canonical) =>
        Countries.Normalise(given).ShouldBe(canonical);

    [BoundedTheory]
    [InlineData("Narnia")]
    [InlineData("XX")]
    [InlineData("ZZZ")]
    [InlineData("")]
    public void unknown_countries_are_not_normalised(string given) =>
        Countries.Normalise(given).ShouldBeNull();

    [BoundedFact]
    public void every_iso_code_is_known_by_its_alpha2_alpha3_and_name()
    {
        CountryList.All.Length.ShouldBe(249);
        foreach (var country in CountryList.All)
        {
            Countries.Normalise(country.Alpha2).ShouldBe(country.Alpha3);
            Countries.Normalise(country.Name).ShouldBe(country.Alpha3);
        }
    }
}
