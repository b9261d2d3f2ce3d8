using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Incidents.Sharing;

/// <summary>Deterministic STIX identifiers: the same log gives the same bundle, byte for byte.</summary>
internal static class StixIds
{
    // Spec: STIX 2.1 §2.9: SCO ids are UUIDv5 in this namespace over the JCS of the ID contributing properties.
    private static readonly Guid s_scoNamespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    // Spec: STIX 2.1 §2.9: producers of non-v4 ids for SDOs and SROs MUST use their own namespace, never the SCO one.
    // This is the UUIDv5 of `concordat.stix` in the RFC 9562 DNS namespace, fixed once.
    private static readonly Guid s_concordatNamespace = Uuid5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "concordat.stix");

    /// <summary>The id of a Concordat SDO or SRO, from what it stands for (such as <c>incident:inc_1</c>).</summary>
    public static string Object(string type, string key) => $"{type}--{Uuid5(s_concordatNamespace, $"{type}:{key}")}";

    /// <summary>The id of an SCO, from its ID contributing properties as the spec names them.</summary>
    public static string Observable(string type, JsonObject contributing) =>
        $"{type}--{Uuid5(s_scoNamespace, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(contributing)))}";

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Spec: RFC 9562 §5.5 defines UUIDv5 with SHA-1; STIX 2.1 §2.9 requires it for SCO ids. Not used for security.")]
    internal static Guid Uuid5(Guid space, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        space.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
