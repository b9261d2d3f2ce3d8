using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordat.Gateway.Journal;

/// <summary>
/// One entry the gateway writes to the transparency log. Every entry names its type and the version of its
/// shape, so that readers can replay any entry written by any version.
/// </summary>
/// <remarks>
/// Security: entries carry ids, digests and counts, never a secret, a bearer value, a key or a row of data.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DecisionEntry), "gateway.decision/v1")]
[JsonDerivedType(typeof(TokenIssuedEntry), "gateway.token-issued/v1")]
[JsonDerivedType(typeof(TokenRevokedEntry), "gateway.token-revoked/v1")]
[JsonDerivedType(typeof(EgressEntry), "gateway.egress/v1")]
[JsonDerivedType(typeof(RefusalEntry), "gateway.refusal/v1")]
[JsonDerivedType(typeof(SealEntry), "gateway.seal/v1")]
[JsonDerivedType(typeof(UnsealEntry), "gateway.unseal/v1")]
[JsonDerivedType(typeof(IdentityEntry), "gateway.identity-created/v1")]
[JsonDerivedType(typeof(AgreementEntry), "gateway.agreement/v1")]
[JsonDerivedType(typeof(DatasetImportEntry), "gateway.dataset-import/v1")]
internal abstract record GatewayEntry(DateTimeOffset At)
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Gets the serializer options entries are written with.</summary>
    public static JsonSerializerOptions SerializerOptions => s_options;

    /// <summary>Returns the entry's bytes as logged: UTF-8 JSON, type first.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, s_options);

    /// <summary>Reads an entry back; returns <see langword="null"/> for bytes that are not a gateway entry.</summary>
    public static GatewayEntry? TryRead(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<GatewayEntry>(bytes, s_options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>A decision: who asked what, the effect and the clauses that caused it.</summary>
internal sealed record DecisionEntry(
    DateTimeOffset At,
    string DecisionId,
    string Recipient,
    string? ClientId,
    string Dataset,
    string Purpose,
    string Jurisdiction,
    string Action,
    string Effect,
    string? Agreement,
    string? AgreementDigest,
    IReadOnlyList<string> Reasons,
    JsonElement? Record) : GatewayEntry(At);

/// <summary>A token issued on a permit.</summary>
internal sealed record TokenIssuedEntry(DateTimeOffset At, string TokenId, string DecisionId, string Recipient, string ClientId, DateTimeOffset ExpiresAt) : GatewayEntry(At);

/// <summary>A token revoked by its holder or the operator.</summary>
internal sealed record TokenRevokedEntry(DateTimeOffset At, string TokenId, string Recipient, string By) : GatewayEntry(At);

/// <summary>What left under a decision: rows, bytes and the SHA-256 of exactly the bytes sent.</summary>
internal sealed record EgressEntry(
    DateTimeOffset At,
    string DecisionId,
    string TokenId,
    string Recipient,
    string Dataset,
    string Format,
    long? Rows,
    long Bytes,
    string Sha256,
    bool Completed,
    string? StoppedBy) : GatewayEntry(At);

/// <summary>A request refused before or without a decision: no token, expired, revoked, sealed, bad input.</summary>
internal sealed record RefusalEntry(
    DateTimeOffset At,
    string Code,
    int Status,
    string Route,
    string? Recipient,
    string? ClientId,
    string? TokenId,
    string? DecisionId) : GatewayEntry(At);

/// <summary>A recipient sealed: everything revoked at once, with the measured time to enforcement.</summary>
internal sealed record SealEntry(DateTimeOffset At, string Recipient, string Reason, int TokensRevoked, int IdentitiesRevoked, int StreamsStopped, double EnforcementMilliseconds) : GatewayEntry(At);

/// <summary>A seal lifted, explicitly, by the operator.</summary>
internal sealed record UnsealEntry(DateTimeOffset At, string Recipient, string Reason) : GatewayEntry(At);

/// <summary>A service identity created for a recipient (the secret never appears).</summary>
internal sealed record IdentityEntry(DateTimeOffset At, string ClientId, string Recipient, string Role) : GatewayEntry(At);

/// <summary>An agreement version uploaded, activated, superseded or rejected.</summary>
internal sealed record AgreementEntry(DateTimeOffset At, string Agreement, int Version, string Digest, string State, int? Supersedes, IReadOnlyList<string> Codes) : GatewayEntry(At);

/// <summary>A dataset version imported.</summary>
internal sealed record DatasetImportEntry(DateTimeOffset At, string Dataset, string Version, string Manifest, long Rows) : GatewayEntry(At);
