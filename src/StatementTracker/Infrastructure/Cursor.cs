using System.Buffers.Text;
using System.Text;

namespace StatementTracker.Infrastructure;

/// <summary>
/// An opaque keyset cursor: the sort key of the last item on a page, so the next page starts after it
/// however much is added meanwhile. Clients pass it back as <c>cursor</c>; its inside is not a contract.
/// </summary>
public static class Cursor
{
    private const char Separator = '\u001f';

    public static string Encode(params string[] parts) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes("1" + Separator + string.Join(Separator, parts)));

    /// <summary>The key's parts, or null when the text is not a cursor this service issued with that many parts.</summary>
    public static string[]? Decode(string? text, int parts)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 512) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(Separator);
            return decoded.Length == parts + 1 && decoded[0] == "1" ? decoded[1..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
