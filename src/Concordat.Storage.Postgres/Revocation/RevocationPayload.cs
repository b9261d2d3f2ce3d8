using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Storage.Postgres.Registry;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;

namespace Concordat.Storage.Postgres.Revocation;

// CAUTION: wire format between gateway replicas, possibly of different versions during a rolling upgrade;
// see docs/operations.md#several-replicas-on-postgresql. Add fields; never rename or remove one.

/// <summary>
/// A <see cref="RevocationNotice"/> as <see cref="PostgresRegistryStore"/> announces it on <see cref="Channel"/> with
/// PostgreSQL <c>NOTIFY</c> when it commits a seal, an unseal or a token revocation, so that every gateway replica can
/// act on it at once.
/// </summary>
/// <remarks>
/// The payload is a small JSON object of ids only: <c>{"v":1,"kind":"seal","recipient":"lab"}</c>, with
/// <c>"token"</c> for a token revocation; an agreement change is <c>{"v":1,"kind":"agreement","agreement":"id"}</c>
/// (no recipient; a replica of a version before it ignores the kind and catches up at its next restart). It MUST NOT carry a secret, a token hash or a reason text. A listener
/// MUST ignore a payload it does not understand (another version's), and MUST NOT take a notice as the authority:
/// the store is; a notice only makes a replica act before its next store read.
/// </remarks>
internal static class RevocationPayload
{
    /// <summary>The PostgreSQL notification channel.</summary>
    public const string Channel = "concordat_revocations";

    private const int Version = 1;

    /// <summary>Renders a notice as the <c>NOTIFY</c> payload.</summary>
    /// <param name="notice">The notice.</param>
    /// <returns>The JSON payload.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="notice"/> is null.</exception>
    public static string Format(RevocationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("kind", KindName(notice.Kind));
            if (notice.Recipient is { } recipient)
            {
                json.WriteString("recipient", recipient.Value);
            }

            if (notice.Agreement is { } agreement)
            {
                json.WriteString("agreement", agreement.Value);
            }

            if (notice.Token is { } token)
            {
                json.WriteString("token", token.Value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a <c>NOTIFY</c> payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="notice">The notice, when the payload is one this version understands.</param>
    /// <returns><see langword="false"/> for anything else: malformed, another version, an unknown kind.</returns>
    public static bool TryParse(string? payload, [NotNullWhen(true)] out RevocationNotice? notice)
    {
        notice = null;
        if (string.IsNullOrEmpty(payload))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("v", out var version) || !version.TryGetInt32(out var v) || v != Version
                || !TryGetString(root, "kind", out var kindName) || !TryParseKind(kindName, out var kind))
            {
                return false;
            }

            if (kind == RevocationKind.AgreementChanged)
            {
                if (!TryGetString(root, "agreement", out var agreement))
                {
                    return false;
                }

                notice = new RevocationNotice(kind, null, null, new AgreementId(agreement));
                return true;
            }

            if (!TryGetString(root, "recipient", out var recipient))
            {
                return false;
            }

            TokenId? token = TryGetString(root, "token", out var tokenId) ? new TokenId(tokenId) : null;
            if (token.HasValue != (kind == RevocationKind.TokenRevoked))
            {
                return false;
            }

            notice = new RevocationNotice(kind, new PartyId(recipient), token);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryGetString(JsonElement root, string name, [NotNullWhen(true)] out string? value)
    {
        value = root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }

    private static string KindName(RevocationKind kind) => kind switch
    {
        RevocationKind.Seal => "seal",
        RevocationKind.Unseal => "unseal",
        RevocationKind.TokenRevoked => "token-revoked",
        RevocationKind.AgreementChanged => "agreement",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a revocation kind"),
    };

    private static bool TryParseKind(string name, out RevocationKind kind)
    {
        (var known, kind) = name switch
        {
            "seal" => (true, RevocationKind.Seal),
            "unseal" => (true, RevocationKind.Unseal),
            "token-revoked" => (true, RevocationKind.TokenRevoked),
            "agreement" => (true, RevocationKind.AgreementChanged),
            _ => (false, default(RevocationKind)),
        };
        return known;
    }
}
