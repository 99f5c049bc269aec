using System.Collections.Frozen;
using StatementTracker.Vocabulary;

namespace StatementTracker.Importing.Cameo;

/// <summary>
/// CAMEO event codes as the importer reads them (ICEWS, GDELT): which are verbal or diplomatic, what they
/// say in words, and the stance we give each. The stance table is ours, not CAMEO's: CAMEO codes actions,
/// and we keep only those that state a position.
/// </summary>
public static class CameoCodes
{
    /// <summary>The roots of statements, appeals, intentions, diplomacy, demands, disapproval, rejection and threats.</summary>
    public static readonly IReadOnlySet<string> VerbalRoots = new HashSet<string> { "01", "02", "03", "05", "10", "11", "12", "13" };

    /// <summary>"Engage in symbolic act" is under root 01 but is not something said.</summary>
    public const string SymbolicAct = "017";

    /// <summary>
    /// A code as written in a file, made canonical: 3 or 4 digits whose first two are a root from 01 to 20.
    /// A leading zero lost on the way ("42" or "423" for 042 and 0423) is put back. Null when it is not a CAMEO code.
    /// </summary>
    public static string? Canonical(string? text)
    {
        var code = text?.Trim() ?? "";
        if (code.Length is < 2 or > 4 || !code.All(char.IsAsciiDigit)) return null;
        if (code.Length == 2 || (code.Length == 3 && !IsRoot(code[..2]))) code = "0" + code;
        if (code.Length is not (3 or 4) || !IsRoot(code[..2])) return null;
        // Within the verbal roots we know every code; elsewhere any code under a root is CAMEO's (and skipped).
        return !VerbalRoots.Contains(code[..2]) || Descriptions.ContainsKey(code) ? code : null;
    }

    private static bool IsRoot(string two) => int.TryParse(two, out var root) && root is >= 1 and <= 20;

    /// <summary>Whether a canonical code is kept: a verbal root, and not a symbolic act.</summary>
    public static bool IsVerbal(string code) => VerbalRoots.Contains(code[..2]) && !code.StartsWith(SymbolicAct, StringComparison.Ordinal);

    /// <summary>A verbal code's words; null for a code CAMEO does not have.</summary>
    public static string? Describe(string code) => Descriptions.GetValueOrDefault(code);

    /// <summary>The stance of a verbal code: the most specific row of the table wins; null leaves it to inference.</summary>
    public static string? StanceOf(string code)
    {
        for (var length = code.Length; length >= 2; length--)
            if (StanceTable.TryGetValue(code[..length], out var stance)) return stance;
        return null;
    }

    /// <summary>Our stance table: by full code, by 3-digit code, then by root. An empty stance means "left to inference".</summary>
    private static readonly FrozenDictionary<string, string?> StanceTable = new Dictionary<string, string?>
    {
        ["010"] = null, ["015"] = null, ["018"] = null, ["055"] = null, ["056"] = null,
        ["011"] = Stances.NoComment, ["012"] = Stances.Concern, ["013"] = Stances.Welcome, ["014"] = Stances.Monitor,
        ["016"] = Stances.Reject, ["019"] = Stances.Support,
        ["02"] = Stances.Urge, ["03"] = Stances.Commit,
        ["050"] = Stances.Support, ["052"] = Stances.Support, ["053"] = Stances.Support, ["054"] = Stances.Support,
        ["051"] = Stances.Welcome, ["057"] = Stances.Commit,
        ["10"] = Stances.Demand,
        ["110"] = Stances.Oppose, ["113"] = Stances.Oppose, ["114"] = Stances.Oppose, ["115"] = Stances.Oppose,
        ["111"] = Stances.Condemn, ["112"] = Stances.Condemn, ["116"] = Stances.Condemn,
        ["12"] = Stances.Reject, ["13"] = Stances.Warn,
    }.ToFrozenDictionary();

    /// <summary>CAMEO's words for the verbal codes (CAMEO 1.1b3), for files that carry only the code (GDELT).</summary>
    private static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["010"] = "Make statement", ["011"] = "Decline comment", ["012"] = "Make pessimistic comment",
        ["013"] = "Make optimistic comment", ["014"] = "Consider policy option", ["015"] = "Acknowledge or claim responsibility",
        ["016"] = "Deny responsibility", ["017"] = "Engage in symbolic act", ["018"] = "Make empathetic comment", ["019"] = "Express accord",
        ["020"] = "Make an appeal or request", ["021"] = "Appeal for material cooperation",
        ["0211"] = "Appeal for economic cooperation", ["0212"] = "Appeal for military cooperation",
        ["0213"] = "Appeal for judicial cooperation", ["0214"] = "Appeal for intelligence",
        ["022"] = "Appeal for diplomatic cooperation", ["023"] = "Appeal for aid",
        ["0231"] = "Appeal for economic aid", ["0232"] = "Appeal for military aid", ["0233"] = "Appeal for humanitarian aid",
        ["0234"] = "Appeal for military protection or peacekeeping", ["024"] = "Appeal for political reform",
        ["0241"] = "Appeal for change in leadership", ["0242"] = "Appeal for policy change", ["0243"] = "Appeal for rights",
        ["0244"] = "Appeal for change in institutions, regime", ["025"] = "Appeal to yield",
        ["0251"] = "Appeal for easing of administrative sanctions", ["0252"] = "Appeal for easing of popular dissent",
        ["0253"] = "Appeal for release of persons or property", ["0254"] = "Appeal for easing of economic sanctions, boycott, or embargo",
        ["0255"] = "Appeal for target to allow international involvement", ["0256"] = "Appeal for de-escalation of military engagement",
        ["026"] = "Appeal to others to meet or negotiate", ["027"] = "Appeal to others to settle dispute",
        ["028"] = "Appeal to others to engage in or accept mediation",
        ["030"] = "Express intent to cooperate", ["031"] = "Express intent to engage in material cooperation",
        ["0311"] = "Express intent to cooperate economically", ["0312"] = "Express intent to cooperate militarily",
        ["0313"] = "Express intent to cooperate on judicial matters", ["0314"] = "Express intent to cooperate on intelligence",
        ["032"] = "Express intent to provide diplomatic cooperation", ["033"] = "Express intent to provide material aid",
        ["0331"] = "Express intent to provide economic aid", ["0332"] = "Express intent to provide military aid",
        ["0333"] = "Express intent to provide humanitarian aid", ["0334"] = "Express intent to provide military protection or peacekeeping",
        ["034"] = "Express intent to institute political reform", ["0341"] = "Express intent to change leadership",
        ["0342"] = "Express intent to change policy", ["0343"] = "Express intent to provide rights",
        ["0344"] = "Express intent to change institutions, regime", ["035"] = "Express intent to yield",
        ["0351"] = "Express intent to ease administrative sanctions", ["0352"] = "Express intent to ease popular dissent",
        ["0353"] = "Express intent to release persons or property", ["0354"] = "Express intent to ease economic sanctions, boycott, or embargo",
        ["0355"] = "Express intent to allow international involvement", ["0356"] = "Express intent to de-escalate military engagement",
        ["036"] = "Express intent to meet or negotiate", ["037"] = "Express intent to settle dispute",
        ["038"] = "Express intent to accept mediation", ["039"] = "Express intent to mediate",
        ["050"] = "Engage in diplomatic cooperation", ["051"] = "Praise or endorse", ["052"] = "Defend verbally",
        ["053"] = "Rally support on behalf of", ["054"] = "Grant diplomatic recognition", ["055"] = "Apologize",
        ["056"] = "Forgive", ["057"] = "Sign formal agreement",
        ["100"] = "Demand", ["101"] = "Demand material cooperation", ["1011"] = "Demand economic cooperation",
        ["1012"] = "Demand military cooperation", ["1013"] = "Demand judicial cooperation", ["1014"] = "Demand intelligence cooperation",
        ["102"] = "Demand diplomatic cooperation", ["103"] = "Demand material aid", ["1031"] = "Demand economic aid",
        ["1032"] = "Demand military aid", ["1033"] = "Demand humanitarian aid", ["1034"] = "Demand military protection or peacekeeping",
        ["104"] = "Demand political reform", ["1041"] = "Demand change in leadership", ["1042"] = "Demand policy change",
        ["1043"] = "Demand rights", ["1044"] = "Demand change in institutions, regime", ["105"] = "Demand that target yields",
        ["1051"] = "Demand easing of administrative sanctions", ["1052"] = "Demand easing of popular dissent",
        ["1053"] = "Demand release of persons or property", ["1054"] = "Demand easing of economic sanctions, boycott, or embargo",
        ["1055"] = "Demand that target allows international involvement", ["1056"] = "Demand de-escalation of military engagement",
        ["106"] = "Demand meeting, negotiation", ["107"] = "Demand settling of dispute", ["108"] = "Demand mediation",
        ["110"] = "Disapprove", ["111"] = "Criticize or denounce", ["112"] = "Accuse",
        ["1121"] = "Accuse of crime, corruption", ["1122"] = "Accuse of human rights abuses", ["1123"] = "Accuse of aggression",
        ["1124"] = "Accuse of war crimes", ["1125"] = "Accuse of espionage, treason", ["113"] = "Rally opposition against",
        ["114"] = "Complain officially", ["115"] = "Bring lawsuit against", ["116"] = "Find guilty or liable (legally)",
        ["120"] = "Reject", ["121"] = "Reject material cooperation", ["1211"] = "Reject economic cooperation",
        ["1212"] = "Reject military cooperation", ["122"] = "Reject request or demand for material aid",
        ["1221"] = "Reject request for economic aid", ["1222"] = "Reject request for military aid",
        ["1223"] = "Reject request for humanitarian aid", ["1224"] = "Reject request for military protection or peacekeeping",
        ["123"] = "Reject request or demand for political reform", ["1231"] = "Reject request for change in leadership",
        ["1232"] = "Reject request for policy change", ["1233"] = "Reject request for rights",
        ["1234"] = "Reject request for change in institutions, regime", ["124"] = "Refuse to yield",
        ["1241"] = "Refuse to ease administrative sanctions", ["1242"] = "Refuse to ease popular dissent",
        ["1243"] = "Refuse to release persons or property", ["1244"] = "Refuse to ease economic sanctions, boycott, or embargo",
        ["1245"] = "Refuse to allow international involvement", ["1246"] = "Refuse to de-escalate military engagement",
        ["125"] = "Reject proposal to meet, discuss, or negotiate", ["126"] = "Reject mediation",
        ["127"] = "Reject plan, agreement to settle dispute", ["128"] = "Defy norms, law", ["129"] = "Veto",
        ["130"] = "Threaten", ["131"] = "Threaten non-force", ["1311"] = "Threaten to reduce or stop aid",
        ["1312"] = "Threaten with sanctions, boycott, embargo", ["1313"] = "Threaten to reduce or break relations",
        ["132"] = "Threaten with administrative sanctions", ["1321"] = "Threaten with restrictions on political freedoms",
        ["1322"] = "Threaten to ban political parties or politicians", ["1323"] = "Threaten to impose curfew",
        ["1324"] = "Threaten to impose state of emergency or martial law", ["133"] = "Threaten political dissent, protest",
        ["134"] = "Threaten to halt negotiations", ["135"] = "Threaten to halt mediation",
        ["136"] = "Threaten to halt international involvement", ["137"] = "Threaten with repression",
        ["138"] = "Threaten to use military force", ["1381"] = "Threaten blockade", ["1382"] = "Threaten occupation",
        ["1383"] = "Threaten unconventional violence", ["1384"] = "Threaten conventional attack",
        ["1385"] = "Threaten attack with WMD", ["139"] = "Give ultimatum",
    }.ToFrozenDictionary();
}
