using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace StatementTracker.Vocabulary;

/// <summary>
/// Infers a stance code from a position's words. The phrase that comes first in the text wins
/// (a position leads with its main verb: "support X and oppose Y" is support), and a longer phrase
/// beats a shorter one starting at the same place ("will not comment" beats "comment").
/// </summary>
public static partial class StanceInference
{
    public sealed record Inferred(string Stance, bool Recognised);

    private sealed record Rule(string Stance, Regex Pattern);

    private static readonly Rule[] Rules =
    [
        new(Stances.NoComment, Words(@"refrain(s|ed|ing)? from comment\w*|declin\w* to comment|no comment|(will|would|did|does|do) not comment|won't comment|not to comment|withh[oe]ld\w* comment")),
        new(Stances.Monitor, Words(@"(closely )?monitor\w*|watch\w* (\w+ ){0,4}(closely|carefully)|(closely|carefully) watch\w*|keep\w* (a )?close (eye|watch)|follow\w* (\w+ ){0,4}(closely|carefully)|(closely|carefully) follow\w*|pay\w* (close )?attention|paid (close )?attention")),
        new(Stances.Condemn, Words(@"condemn\w*|denounc\w*|deplor\w*")),
        new(Stances.Warn, Words(@"warn\w*|threaten\w*|caution\w* against")),
        new(Stances.Demand, Words(@"demand\w*|insist\w*")),
        new(Stances.Urge, Words(@"urg(e|es|ed|ing)|call(s|ed|ing)? (on|upon|for)|appeal(s|ed|ing)?|encourag(e|es|ed|ing)")),
        new(Stances.Reject, Words(@"reject\w*|den(y|ies|ied)|dismiss\w*|refus\w*|repudiat\w*")),
        new(Stances.Oppose, Words(@"oppos\w*|(do|does|did|will) not support|object\w* to|disapprov\w*|against")),
        new(Stances.Concern, Words(@"concern(s|ed)?|worr(y|ies|ied)|alarm(ed|ing)?|troubl(ed|ing)|disturb(ed|ing)")),
        new(Stances.Welcome, Words(@"welcom(e|es|ed|ing)|prais(e|es|ed|ing)|applaud(s|ed|ing)?|commend(s|ed|ing)?|hail(s|ed)")),
        new(Stances.Commit, Words(@"commit(s|ted|ting|ment|ments)?|pledg(e|es|ed|ing)|agree(s|d)? to|vow(s|ed)?|promis(e|es|ed)|(enhance|deepen|strengthen|expand)\w* (\w+ ){0,3}cooperation")),
        new(Stances.Support, Words(@"support\w*|back(s|ed|ing)|endors\w*|stand\w* (with|by)|uphold\w*")),
    ];

    /// <summary>
    /// Positions repeat: coded corpora word them from a few hundred templates ("held talks on the matter"), and
    /// every recorded statement is inferred when written and again when projected, at 1.5–3 µs a position for
    /// the twelve patterns. The first positions seen are remembered with their stance, up to a bound that keeps
    /// the memory small whatever the corpus (a position is at most 500 characters).
    /// </summary>
    private const int RememberedAtMost = 4096;

    private static readonly ConcurrentDictionary<string, Inferred> Remembered = new(StringComparer.Ordinal);
    private static int _remembered;

    public static Inferred Infer(string? position)
    {
        if (string.IsNullOrWhiteSpace(position)) return new(Stances.Unclassified, false);
        if (Remembered.TryGetValue(position, out var known)) return known;

        var inferred = Match(position);
        if (Volatile.Read(ref _remembered) < RememberedAtMost && Remembered.TryAdd(position, inferred)) Interlocked.Increment(ref _remembered);
        return inferred;
    }

    private static Inferred Match(string position)
    {
        var best = Rules
            .Select(rule => (rule.Stance, Match: rule.Pattern.Match(position)))
            .Where(candidate => candidate.Match.Success)
            .OrderBy(candidate => candidate.Match.Index)
            .ThenByDescending(candidate => candidate.Match.Length)
            .FirstOrDefault();

        return best.Match is null ? new(Stances.Unclassified, false) : new(best.Stance, true);
    }

    private static Regex Words(string alternatives) =>
        new($@"\b({alternatives})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
