using System.Security.Cryptography;
using System.Text;

namespace Concordat.Privacy;

/// <summary>
/// A keyed commitment to a data subject's identifiers, for a log entry that must refer to the subject without holding
/// personal data: <c>hmac-sha256:&lt;hex&gt;</c> of HMAC-SHA256(K, identifiers) under a fresh random key K that is zeroed
/// once the commitment is made and never stored (crypto-shredding).
/// </summary>
/// <remarks>
/// <para>
/// The message is the identifiers' UTF-8 bytes, sorted by ordinal and each followed by 0x00 (an identifier holds no
/// NUL, so the encoding is unambiguous); the commitment is then the same for the same set given in any order.
/// </para>
/// <para>
/// Security: with K gone, the commitment is a random-looking 256-bit value: nobody, the operator included, can test a
/// guessed identifier against it (unlike a plain hash, which a dictionary of identifiers reverses). What it still
/// gives: the log entry is fixed and verifies, and distinct erasures have distinct commitments.
/// </para>
/// </remarks>
// CAUTION: persisted/public format (gateway.erasure/v1 carries it); see docs/design/erasure.md
public static class SubjectCommitment
{
    /// <summary>The prefix of a commitment's text.</summary>
    public const string Prefix = "hmac-sha256:";

    /// <summary>The length of the fresh key in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Commits to <paramref name="subjects"/> under a fresh random key, which is zeroed before this returns.</summary>
    /// <param name="subjects">The subject's identifiers; at least one.</param>
    /// <returns>The commitment, <c>hmac-sha256:</c> and 64 lowercase hex digits.</returns>
    public static string CreateAndShred(IReadOnlyCollection<string> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var key = new byte[KeyLength];
        try
        {
            RandomNumberGenerator.Fill(key);
            return Compute(key, subjects);
        }
        finally
        {
            // Security: the key is the only link from the commitment back to the subject; it never outlives this call.
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Computes the commitment to <paramref name="subjects"/> under <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="subjects">The subject's identifiers; at least one.</param>
    /// <returns>The commitment, <c>hmac-sha256:</c> and 64 lowercase hex digits.</returns>
    /// <exception cref="ArgumentException">No identifier, or one holds a NUL.</exception>
    public static string Compute(ReadOnlySpan<byte> key, IReadOnlyCollection<string> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        if (subjects.Count == 0 || subjects.Any(s => s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("give at least one identifier, none holding a NUL", nameof(subjects));
        }

        var message = new List<byte>();
        foreach (var subject in subjects.Order(StringComparer.Ordinal))
        {
            message.AddRange(Encoding.UTF8.GetBytes(subject));
            message.Add(0);
        }

        var bytes = message.ToArray();
        try
        {
            return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes));
        }
        finally
        {
            // Security: the message is the identifiers themselves.
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
