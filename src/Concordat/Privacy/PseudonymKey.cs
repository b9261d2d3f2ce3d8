using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;

namespace Concordat.Privacy;

/// <summary>
/// The key one recipient's pseudonyms for one dataset are computed under, derived with HKDF-SHA256 from the
/// provider's pseudonymisation master key.
/// </summary>
/// <remarks>
/// <para>
/// Derivation (see docs/formats/datasets.md, "Pseudonyms"): <c>key = HKDF-SHA256(IKM = master key, salt = empty,
/// info = "concordat/pseudonym/v1" || 0x00 || recipient id || 0x00 || dataset id, L = 32)</c>, the ids in UTF-8.
/// </para>
/// <para>
/// The key is a secret: it MUST NOT be logged, and <see cref="ToString"/> never reveals it. Dispose the key to
/// zero it.
/// </para>
/// </remarks>
// CAUTION: persisted/public format (the pseudonyms a recipient keeps depend on it); see docs/formats/datasets.md
public sealed class PseudonymKey : IDisposable
{
    /// <summary>The fewest bytes a master key may have.</summary>
    public const int MinimumMasterKeyLength = 32;

    /// <summary>The length of a derived key in bytes.</summary>
    public const int KeyLength = 32;

    // Spec: the label binds the derived key to this use and version (RFC 5869 §3.2, "info").
    private static ReadOnlySpan<byte> InfoLabel => "concordat/pseudonym/v1"u8;

    private readonly byte[] _key;

    private PseudonymKey(byte[] key, PartyId recipient, DatasetId dataset)
    {
        _key = key;
        Recipient = recipient;
        Dataset = dataset;
    }

    /// <summary>Gets the recipient the key belongs to.</summary>
    public PartyId Recipient { get; }

    /// <summary>Gets the dataset the key belongs to.</summary>
    public DatasetId Dataset { get; }

    /// <summary>Derives the key for one recipient and one dataset.</summary>
    /// <param name="masterKey">The provider's pseudonymisation master key: at least 32 uniformly random bytes.</param>
    /// <param name="recipient">The recipient.</param>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The derived key.</returns>
    /// <exception cref="ArgumentException">The master key is shorter than 32 bytes, or an id is empty or holds a NUL character.</exception>
    public static PseudonymKey Derive(ReadOnlySpan<byte> masterKey, PartyId recipient, DatasetId dataset)
    {
        if (masterKey.Length < MinimumMasterKeyLength)
        {
            throw new ArgumentException($"a pseudonymisation master key has at least {MinimumMasterKeyLength} bytes", nameof(masterKey));
        }

        var info = BuildInfo(recipient, dataset);
        var key = new byte[KeyLength];
        DeriveKey(masterKey, info, key);
        return new PseudonymKey(key, recipient, dataset);
    }

    /// <summary>Returns a text that names the recipient and dataset but never the key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"pseudonym key for `{Recipient}` on `{Dataset}`";

    /// <summary>Zeroes the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    internal ReadOnlySpan<byte> KeyBytes => _key;

    /// <summary>Builds the HKDF info: the label, then each id in UTF-8, each preceded by one 0x00 byte.</summary>
    internal static byte[] BuildInfo(PartyId recipient, DatasetId dataset)
    {
        var recipientId = RequireId(recipient.Value, nameof(recipient));
        var datasetId = RequireId(dataset.Value, nameof(dataset));
        var info = new byte[InfoLabel.Length + 1 + Encoding.UTF8.GetByteCount(recipientId) + 1 + Encoding.UTF8.GetByteCount(datasetId)];
        var span = info.AsSpan();
        InfoLabel.CopyTo(span);
        var at = InfoLabel.Length;

        // Invariant: ids hold no NUL, so the 0x00 separators make the encoding of (recipient, dataset) unambiguous.
        info[at++] = 0;
        at += Encoding.UTF8.GetBytes(recipientId, span[at..]);
        info[at++] = 0;
        Encoding.UTF8.GetBytes(datasetId, span[at..]);
        return info;
    }

    /// <summary>HKDF-SHA256 with an empty salt (RFC 5869 §2.2: a string of HashLen zeros).</summary>
    internal static void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> info, Span<byte> output) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt: [], info);

    private static string RequireId(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("an id for pseudonym derivation is non-empty and holds no NUL character", parameterName);
        }

        return value;
    }
}
