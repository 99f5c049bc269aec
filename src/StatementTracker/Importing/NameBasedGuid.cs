using System.Security.Cryptography;
using System.Text;

namespace StatementTracker.Importing;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same namespace and name always give the same id, so a
/// record imported twice, from the same file or an overlapping one, gets the same statement id.
/// </summary>
public static class NameBasedGuid
{
    /// <summary>The namespace of StatementTracker's imported records.</summary>
    public static readonly Guid Imports = new("6f1c0a52-3d3e-4b6f-9d77-5a1f8e2c4b10");

    public static Guid Create(Guid space, string name)
    {
        var spaceBytes = space.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var hash = SHA1.HashData([.. spaceBytes, .. nameBytes]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The id of a dataset's record: <c>{dataset}:{recordId}</c> in the imports namespace.</summary>
    public static Guid ForRecord(string dataset, string recordId) => Create(Imports, $"{dataset}:{recordId}");
}
