using System.Text;
using System.Xml;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions.Shifts;

/// <summary>The shift feed as Atom 1.0 (RFC 4287), for feed readers: one entry per shift, its id stable for that shift.</summary>
public static class ShiftAtomFeed
{
    public const string MediaType = "application/atom+xml";
    private const string Atom = "http://www.w3.org/2005/Atom";

    public static byte[] Write(ShiftFeedPage page, ShiftFilter filter, Uri baseUri)
    {
        using var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, $"urn:statementtracker:shifts:{filter.Country ?? "all"}:{filter.Topic ?? "all"}:{filter.Since?.ToString() ?? "all"}");
            xml.WriteElementString("title", Atom, Title(filter));
            xml.WriteElementString("updated", Atom, Updated(page).ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
            Link(xml, "self", new Uri(baseUri, "shifts.atom" + Query(filter, cursor: null)));
            if (page.Next is { } next) Link(xml, "next", new Uri(baseUri, "shifts.atom" + Query(filter, next)));
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, "StatementTracker");
            xml.WriteEndElement();

            foreach (var shift in page.Items)
            {
                var position = new Uri(baseUri, $"countries/{shift.Country}/positions/{shift.Topic}");
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, $"urn:statementtracker:shift:{shift.StatementId}:{shift.Topic}:{shift.From.Stance}:{shift.To.Stance}");
                xml.WriteElementString("title", Atom,
                    $"{Countries.NameOf(shift.Country) ?? shift.Country} on {shift.Topic}: {shift.From.Stance} → {shift.To.Stance}");
                xml.WriteElementString("updated", Atom, shift.RecordedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
                Link(xml, "alternate", position);
                Link(xml, "related", new Uri(baseUri, $"statements/{shift.StatementId}"));
                xml.WriteStartElement("summary", Atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(
                    $"{shift.Country}'s stance on {shift.Topic} shifted from {shift.From.Stance} ({shift.From.Family}) to {shift.To.Stance} ({shift.To.Family}), " +
                    $"stated on {shift.StatedOn}. Statement {shift.StatementId}.");
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return output.ToArray();
    }

    private static string Title(ShiftFilter filter) =>
        "StatementTracker: stance shifts" +
        (filter.Country is { } country ? $" of {Countries.NameOf(country) ?? country}" : "") +
        (filter.Topic is { } topic ? $" on {topic}" : "") +
        (filter.Since is { } since ? $" since {since}" : "");

    /// <summary>A feed is as new as its newest entry; an empty one has not changed since the epoch.</summary>
    private static DateTime Updated(ShiftFeedPage page) =>
        page.Items.Count == 0 ? DateTime.UnixEpoch : page.Items.Max(s => s.RecordedAt).UtcDateTime;

    private static void Link(XmlWriter xml, string rel, Uri href)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href.ToString());
        xml.WriteEndElement();
    }

    private static string Query(ShiftFilter filter, string? cursor)
    {
        var parts = new List<string>();
        if (filter.Country is { } country) parts.Add($"country={Uri.EscapeDataString(country)}");
        if (filter.Topic is { } topic) parts.Add($"topic={Uri.EscapeDataString(topic)}");
        if (filter.Since is { } since) parts.Add($"since={since}");
        if (cursor is not null) parts.Add($"cursor={Uri.EscapeDataString(cursor)}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
