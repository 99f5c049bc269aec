using Shouldly;
using StatementTracker.Importing;
using StatementTracker.Importing.Cameo;
using StatementTracker.Importing.Formats;
using StatementTracker.Statements;
using static StatementTracker.Tests.Importing.DatasetRows;

namespace StatementTracker.Tests.Importing;

public class DatasetFormatTests
{
    private static readonly IcewsEvents IcewsFormat = new();
    private static readonly GdeltEvents GdeltFormat = new();
    private static readonly PolecatEvents PolecatFormat = new();

    private static StatementRecorded Kept(ImportRow row) => row.ShouldBeOfType<ImportRow.Statement>().Recorded;
    private static string SkipReason(ImportRow row) => row.ShouldBeOfType<ImportRow.Skipped>().Reason;
    private static IReadOnlyDictionary<string, string[]> Errors(ImportRow row) => row.ShouldBeOfType<ImportRow.Rejected>().Errors;

    [BoundedFact]
    public void an_icews_row_of_a_government_speaking_to_another_country_becomes_a_statement_with_its_origin()
    {
        var recorded = Kept(One(IcewsFormat, IcewsHeader, Icews()));

        recorded.StatementId.ShouldBe(NameBasedGuid.ForRecord("icews", "32889836"));
        recorded.Origin.ShouldBe(new Origin("icews", "32889836"));
        recorded.Content.Country.ShouldBe("JPN");
        recorded.Content.Targets.ShouldBe(["USA"]);
        recorded.Content.Topics.ShouldBe(["relations-with-usa"]);
        recorded.Content.Position.ShouldBe("Criticize or denounce: United States");
        recorded.Content.Stance.ShouldBe("condemn");
        recorded.Content.StatedOn.ToString().ShouldBe("2018-03-05");
        recorded.Content.Speaker.Name.ShouldBe("Japan");
        recorded.Sources.Single().ShouldBe(new Source("Kyodo News", null, null));
    }

    [BoundedTheory]
    [InlineData("Ministry of Foreign Affairs (Japan)", "Government,Executive,Foreign Ministry", true)]
    [InlineData("Japan", "", true)]
    [InlineData("Toyota", "Business", false)]
    [InlineData("Citizen (Japan)", "Governmental Opposition", false)]
    public void an_icews_source_speaks_for_its_state_when_it_is_the_country_or_in_the_government_sector(string name, string sectors, bool kept)
    {
        var row = One(IcewsFormat, IcewsHeader, Icews(sourceName: name, sectors: sectors));

        if (kept) Kept(row).Content.Speaker.Name.ShouldBe(name);
        else SkipReason(row).ShouldBe("not a state actor");
    }

    [BoundedTheory]
    [InlineData("111", "condemn")] [InlineData("112", "condemn")] [InlineData("1121", "condemn")] [InlineData("116", "condemn")]
    [InlineData("110", "oppose")] [InlineData("113", "oppose")] [InlineData("114", "oppose")] [InlineData("115", "oppose")]
    [InlineData("011", "no-comment")] [InlineData("012", "concern")] [InlineData("013", "welcome")] [InlineData("014", "monitor")]
    [InlineData("016", "reject")] [InlineData("019", "support")] [InlineData("020", "urge")] [InlineData("0234", "urge")]
    [InlineData("036", "commit")] [InlineData("0311", "commit")] [InlineData("050", "support")] [InlineData("051", "welcome")]
    [InlineData("052", "support")] [InlineData("053", "support")] [InlineData("054", "support")] [InlineData("057", "commit")]
    [InlineData("100", "demand")] [InlineData("1041", "demand")] [InlineData("120", "reject")] [InlineData("129", "reject")]
    [InlineData("130", "warn")] [InlineData("1384", "warn")]
    [InlineData("010", null)] [InlineData("015", null)] [InlineData("018", null)] [InlineData("055", null)] [InlineData("056", null)]
    public void the_cameo_code_gives_the_stance_of_the_most_specific_row_of_our_table(string code, string? stance)
    {
        var recorded = Kept(One(IcewsFormat, IcewsHeader, Icews(code: code)));

        recorded.Content.Stance.ShouldBe(stance);
    }

    [BoundedTheory]
    [InlineData("017")] [InlineData("040")] [InlineData("042")] [InlineData("061")] [InlineData("073")]
    [InlineData("080")] [InlineData("090")] [InlineData("141")] [InlineData("173")] [InlineData("190")] [InlineData("204")]
    public void codes_outside_the_verbal_roots_and_symbolic_acts_are_skipped_as_not_verbal(string code)
    {
        SkipReason(One(IcewsFormat, IcewsHeader, Icews(code: code))).ShouldBe("not verbal");
        SkipReason(One(GdeltFormat, "", Gdelt(code: code))).ShouldBe("not verbal");
    }

    [BoundedTheory]
    [InlineData("")] [InlineData("abc")] [InlineData("2111")] [InlineData("9")] [InlineData("01999")] [InlineData("0199")] [InlineData("0581")]
    public void a_code_outside_cameo_is_rejected_with_its_reason(string code)
    {
        Errors(One(IcewsFormat, IcewsHeader, Icews(code: code))).Keys.ShouldBe(["CAMEO Code"]);
        Errors(One(GdeltFormat, "", Gdelt(code: code))).Keys.ShouldBe(["EventCode"]);
    }

    [BoundedFact]
    public void a_leading_zero_lost_from_a_cameo_code_is_put_back()
    {
        CameoCodes.Canonical("42").ShouldBe("042");
        CameoCodes.Canonical("423").ShouldBe("0423");
        CameoCodes.Canonical("111").ShouldBe("111");
        Kept(One(IcewsFormat, IcewsHeader, Icews(code: "14"))).Content.Stance.ShouldBe("monitor");
    }

    [BoundedTheory]
    [InlineData("", "United States", "no source country")]
    [InlineData("Europe", "United States", "no source country")]
    [InlineData("Japan", "", "no foreign target")]
    [InlineData("Japan", "Japan", "no foreign target")]
    [InlineData("Japan", "Middle East", "no foreign target")]
    public void an_icews_row_without_a_source_country_or_a_foreign_target_is_skipped_with_its_reason(string source, string target, string reason) =>
        SkipReason(One(IcewsFormat, IcewsHeader, Icews(sourceName: source, sourceCountry: source, targetCountry: target))).ShouldBe(reason);

    [BoundedTheory]
    [InlineData("Russian Federation", "RUS")] [InlineData("Occupied Palestinian Territory", "PSE")] [InlineData("South Korea", "KOR")]
    [InlineData("Iran", "IRN")] [InlineData("Congo, The Democratic Republic of the", "COD")]
    public void icews_country_names_are_read_as_iso_codes(string name, string code) =>
        Kept(One(IcewsFormat, IcewsHeader, Icews(sourceName: name, sourceCountry: name))).Content.Country.ShouldBe(code);

    [BoundedFact]
    public void an_icews_row_with_a_bad_date_or_the_wrong_column_count_is_rejected()
    {
        Errors(One(IcewsFormat, IcewsHeader, Icews(date: "05/03/2018"))).Keys.ShouldBe(["Event Date"]);
        Errors(One(IcewsFormat, IcewsHeader, Icews() + "\textra")).Keys.ShouldBe(["$"]);
        Errors(One(IcewsFormat, IcewsHeader, "32889836\t2018-03-05\tJapan")).Keys.ShouldBe(["$"]);
    }

    [BoundedFact]
    public void a_gdelt_row_maps_its_columns_and_takes_the_publisher_from_the_source_url()
    {
        var recorded = Kept(One(GdeltFormat, "", Gdelt()));

        recorded.StatementId.ShouldBe(NameBasedGuid.ForRecord("gdelt", "1037207001"));
        recorded.Origin.ShouldBe(new Origin("gdelt", "1037207001"));
        recorded.Content.Country.ShouldBe("JPN");
        recorded.Content.Targets.ShouldBe(["USA"]);
        recorded.Content.Topics.ShouldBe(["relations-with-usa"]);
        recorded.Content.Position.ShouldBe("Criticize or denounce: UNITED STATES");
        recorded.Content.Stance.ShouldBe("condemn");
        recorded.Content.StatedOn.ToString().ShouldBe("2022-03-01");
        recorded.Content.Speaker.Name.ShouldBe("JAPAN");
        recorded.Sources.Single().ShouldBe(new Source("www.example-news.test", "https://www.example-news.test/world/2022/03/01/story.html", null));
    }

    [BoundedTheory]
    [InlineData("", true)] [InlineData("GOV", true)] [InlineData("MIL", true)] [InlineData("LEG", true)] [InlineData("JUD", true)]
    [InlineData("BUS", false)] [InlineData("OPP", false)] [InlineData("CVL", false)] [InlineData("MED", false)]
    public void a_gdelt_actor_is_a_state_actor_when_its_type_is_empty_or_government_military_legislature_or_judiciary(string type, bool kept)
    {
        var row = One(GdeltFormat, "", Gdelt(actor1Type: type));

        if (kept) Kept(row);
        else SkipReason(row).ShouldBe("not a state actor");
    }

    [BoundedTheory]
    [InlineData("ROM", "ROU")] [InlineData("TMP", "TLS")] [InlineData("MTN", "MNE")] [InlineData("IMY", "IMN")] [InlineData("ZAR", "COD")]
    public void cameo_country_codes_that_differ_from_iso_are_mapped(string cameo, string iso) =>
        Kept(One(GdeltFormat, "", Gdelt(actor1Country: cameo))).Content.Country.ShouldBe(iso);

    [BoundedTheory]
    [InlineData("", "USA", "no source country")]
    [InlineData("EUR", "USA", "no source country")]
    [InlineData("AFR", "USA", "no source country")]
    [InlineData("JPN", "", "no foreign target")]
    [InlineData("JPN", "JPN", "no foreign target")]
    [InlineData("JPN", "WST", "no foreign target")]
    public void a_gdelt_row_without_a_source_country_or_a_foreign_target_is_skipped(string source, string target, string reason) =>
        SkipReason(One(GdeltFormat, "", Gdelt(actor1Country: source, actor2Country: target))).ShouldBe(reason);

    [BoundedFact]
    public void a_gdelt_row_with_a_bad_date_or_the_wrong_column_count_is_rejected_and_a_file_of_other_width_is_refused()
    {
        Errors(Parse(GdeltFormat, Gdelt(), Gdelt(date: "2022-03-01"))[1]).Keys.ShouldBe(["SQLDATE"]);
        Errors(Parse(GdeltFormat, Gdelt(), "1\t20220301\tJPN")[1]).Keys.ShouldBe(["$"]);
        Should.Throw<WrongFormatException>(() => Parse(GdeltFormat, string.Join('\t', Enumerable.Repeat("x", 58))))
            .Message.ShouldContain("61");
        Should.Throw<WrongFormatException>(() => Parse(IcewsFormat, Gdelt())).Message.ShouldContain("Event ID");
    }

    [BoundedTheory]
    [InlineData("AGREE", "commit")] [InlineData("SUPPORT", "support")] [InlineData("DEMAND", "demand")]
    [InlineData("DISAPPROVE", "condemn")] [InlineData("REJECT", "reject")] [InlineData("THREATEN", "warn")]
    public void a_polecat_row_of_a_verbal_type_becomes_a_statement_with_the_types_stance(string type, string stance)
    {
        var recorded = Kept(One(PolecatFormat, PolecatHeader, Polecat(type: type)));

        recorded.Content.Stance.ShouldBe(stance);
        recorded.Content.Country.ShouldBe("JPN");
        recorded.Content.Targets.ShouldBe(["RUS"]);
        recorded.Content.Topics.ShouldBe(["relations-with-rus"]);
        recorded.Content.Speaker.Name.ShouldBe("Fumio Kishida");
        recorded.Origin.ShouldBe(new Origin("polecat", "20230105-0101-abc_DISAPPROVE_R"));
        recorded.Sources.Single().Publisher.ShouldBe("Example Wire");
    }

    [BoundedTheory]
    [InlineData("CONSULT")] [InlineData("COOPERATE")] [InlineData("AID")] [InlineData("ASSAULT")] [InlineData("REQUEST")] [InlineData("ACCUSE")]
    public void polecat_types_outside_the_table_are_skipped_as_not_verbal(string type) =>
        SkipReason(One(PolecatFormat, PolecatHeader, Polecat(type: type))).ShouldBe("not verbal");

    [BoundedFact]
    public void polecat_actors_follow_the_state_actor_and_foreign_target_rules()
    {
        SkipReason(One(PolecatFormat, PolecatHeader, Polecat(primarySector: "BUS", sectors: "BUS"))).ShouldBe("not a state actor");
        SkipReason(One(PolecatFormat, PolecatHeader, Polecat(actorCountry: "None"))).ShouldBe("no source country");
        SkipReason(One(PolecatFormat, PolecatHeader, Polecat(recipientCountry: "JPN"))).ShouldBe("no foreign target");
        SkipReason(One(PolecatFormat, PolecatHeader, Polecat(recipientCountry: "IGO"))).ShouldBe("no foreign target");
        Kept(One(PolecatFormat, PolecatHeader, Polecat(actorName: "Fumio Kishida; Yoko Kamikawa"))).Content.Speaker.Name.ShouldBe("Fumio Kishida");
        Errors(One(PolecatFormat, PolecatHeader, Polecat(date: "January 5"))).Keys.ShouldBe(["Event Date"]);
    }

    [BoundedFact]
    public void plover_json_lines_are_read_by_their_field_names()
    {
        const string line = """
            {"id": "plover-1", "date": "2023-02-01", "event": ["THREATEN"], "source": [{"code": "CHN", "sector": "GOV", "actor_text": "Wang Yi"}],
             "recipient": [{"code": "TWN", "actor_text": "Taiwan"}], "cite_info": {"publication": "Example Wire", "url": "https://example.test/a"}}
            """;

        var recorded = Kept(Parse(PolecatFormat, line.ReplaceLineEndings(" ")).Single());

        recorded.Content.Stance.ShouldBe("warn");
        recorded.Content.Country.ShouldBe("CHN");
        recorded.Content.Targets.ShouldBe(["TWN"]);
        recorded.Content.Speaker.Name.ShouldBe("Wang Yi");
        recorded.Sources.Single().ShouldBe(new Source("Example Wire", "https://example.test/a", null));
        recorded.Origin.ShouldBe(new Origin("polecat", "plover-1"));
    }

    [BoundedFact]
    public void the_same_record_always_gets_the_same_statement_id_and_different_records_different_ones()
    {
        Kept(One(IcewsFormat, IcewsHeader, Icews(id: "7"))).StatementId.ShouldBe(Kept(One(IcewsFormat, IcewsHeader, Icews(id: "7", code: "112"))).StatementId);
        Kept(One(IcewsFormat, IcewsHeader, Icews(id: "7"))).StatementId.ShouldNotBe(Kept(One(IcewsFormat, IcewsHeader, Icews(id: "8"))).StatementId);
        Kept(One(IcewsFormat, IcewsHeader, Icews(id: "7"))).StatementId.ShouldNotBe(Kept(One(GdeltFormat, "", Gdelt(id: "7"))).StatementId);
    }
}
