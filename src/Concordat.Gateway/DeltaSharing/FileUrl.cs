using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Store.Registry;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// A pre-signed URL of one Parquet file the gateway serves: what it is bound to, and its HMAC-SHA256.
/// </summary>
/// <param name="File">The file id: the digest of the egress plan it was written under.</param>
/// <param name="Recipient">The recipient the file was decided for.</param>
/// <param name="Decision">The decision that permitted it.</param>
/// <param name="Token">The share token the query came with.</param>
/// <param name="AgreementDigest">The agreement version that permitted it.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Version">The dataset version.</param>
/// <param name="ExpiresAt">When the URL stops working, in Unix milliseconds.</param>
/// <remarks>
/// Security: the signature covers every member and the path, under a key derived from the workspace's
/// pseudonymisation master key with HKDF (info <c>concordat/delta-sharing/file-url/v1</c>), so no member can be changed
/// without the key. A valid signature is necessary, not sufficient: every fetch checks the token, the seal and the
/// agreement again.
/// </remarks>
internal sealed record FileUrl(Sha256Digest File, PartyId Recipient, DecisionId Decision, TokenId Token, Sha256Digest AgreementDigest, DatasetId Dataset, int Version, long ExpiresAt)
{
    /// <summary>The path files are served under.</summary>
    public const string PathPrefix = "/delta-sharing/files/";

    /// <summary>The longest a URL lives.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Derives the signing key from the workspace's master key.</summary>
    public static byte[] DeriveKey(byte[] masterKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, [], "concordat/delta-sharing/file-url/v1"u8.ToArray());

    /// <summary>The path and query of the signed URL.</summary>
    public string ToPathAndQuery(byte[] key) =>
        $"{PathPrefix}{File.Hex}?recipient={Uri.EscapeDataString(Recipient.Value)}&decision={Uri.EscapeDataString(Decision.Value)}&token={Uri.EscapeDataString(Token.Value)}&agreement={AgreementDigest.Hex}&dataset={Uri.EscapeDataString(Dataset.Value)}&version={Version.ToString(CultureInfo.InvariantCulture)}&expires={ExpiresAt.ToString(CultureInfo.InvariantCulture)}&signature={Sign(key)}";

    /// <summary>Reads a URL's members and checks its signature; false when a member is missing or malformed, or the signature does not match.</summary>
    public static bool TryRead(string fileId, IQueryCollection query, byte[] key, out FileUrl? url)
    {
        url = null;
        if (!Sha256Digest.TryParse("sha256:" + fileId, out var file) ||
            !Sha256Digest.TryParse("sha256:" + query["agreement"], out var agreement) ||
            !int.TryParse(query["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ||
            !long.TryParse(query["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
            !Security.Ids.IsValid(query["recipient"]) || !Security.Ids.IsValid(query["token"]) || !Security.Ids.IsValid(query["dataset"]) ||
            string.IsNullOrEmpty(query["decision"]))
        {
            return false;
        }

        var candidate = new FileUrl(file, new PartyId(query["recipient"]!), new DecisionId(query["decision"]!), new TokenId(query["token"]!), agreement, new DatasetId(query["dataset"]!), version, expires);
        var expected = Encoding.ASCII.GetBytes(candidate.Sign(key));
        var given = Encoding.ASCII.GetBytes(query["signature"].ToString());

        // Security: constant-time comparison, so the signature cannot be found byte by byte.
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return false;
        }

        url = candidate;
        return true;
    }

    private string Sign(byte[] key)
    {
        var text = string.Join('\n', "concordat/delta-sharing/file-url/v1", PathPrefix + File.Hex, Recipient.Value, Decision.Value, Token.Value, AgreementDigest.Hex, Dataset.Value, Version.ToString(CultureInfo.InvariantCulture), ExpiresAt.ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }
}
