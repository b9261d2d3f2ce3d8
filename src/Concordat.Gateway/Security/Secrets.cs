using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Concordat.Gateway.Security;

/// <summary>
/// Random secrets and their hashes.
/// </summary>
/// <remarks>
/// Security: every secret is 256 bits from the operating system's CSPRNG, so a single SHA-256 is enough to store
/// it: a slow password hash protects guessable human secrets, and nothing here is guessable (2^256 candidates).
/// A fast hash also keeps token checks cheap, which matters on every request. Comparison of hashes goes through
/// the database index; the secret of a client is compared in constant time.
/// </remarks>
internal static class Secrets
{
    /// <summary>The prefix of a bearer token, so that leaked tokens are recognisable by secret scanners.</summary>
    public const string TokenPrefix = "cdt_";

    /// <summary>The prefix of a client secret.</summary>
    public const string ClientSecretPrefix = "cds_";

    /// <summary>The prefix of a client id.</summary>
    public const string ClientIdPrefix = "cid_";

    /// <summary>The prefix of a token id.</summary>
    public const string TokenIdPrefix = "tok_";

    /// <summary>Returns 256 random bits, base64url without padding (43 characters).</summary>
    public static string NewRandomText() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Returns a short public id (96 random bits) with a prefix; ids are names, not credentials.</summary>
    public static string NewId(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>Returns the SHA-256 of the UTF-8 bytes of <paramref name="secret"/>.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Tells, in constant time, whether <paramref name="secret"/> hashes to <paramref name="expectedHash"/>.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), expectedHash);
}
