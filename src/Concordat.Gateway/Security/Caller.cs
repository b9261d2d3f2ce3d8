using Concordat.Agreements;
using Concordat.Gateway.Problems;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Security;

/// <summary>
/// Who is calling, as resolved once per request from its <c>Authorization</c> header: the operator, a client
/// with its identity, a bearer with its token, or nobody.
/// </summary>
/// <remarks>
/// Security: <see cref="Identity"/> and <see cref="Token"/> are set only for credentials that are valid now (not
/// revoked, not expired, recipient not sealed). A credential that was presented and refused is a caller with a
/// <see cref="Failure"/>; <see cref="CallerResolver"/> answers such a request itself, so no handler ever sees one.
/// The refused credential is kept apart (<see cref="Refused"/>) only so the refusal entry can name it.
/// </remarks>
internal sealed record Caller(bool IsOperator, IdentityRecord? Identity, TokenRecord? Token, ProblemCode? Failure, string? FailureDetail)
{
    /// <summary>The anonymous caller.</summary>
    public static readonly Caller Anonymous = new(false, null, null, null, null);

    /// <summary>The operator.</summary>
    public static readonly Caller Operator = new(true, null, null, null, null);

    /// <summary>Gets the credential that was presented and refused, for the refusal entry; never an authority.</summary>
    public RefusedCredential? Refused { get; init; }

    /// <summary>Gets the recipient the caller acts for, when it is one.</summary>
    public PartyId? Recipient => Token?.Recipient ?? Identity?.Recipient;

    /// <summary>Gets the key the rate limiter partitions by.</summary>
    public string PartitionKey => IsOperator ? "operator" : Recipient is { } recipient ? "recipient:" + recipient.Value : "anonymous";

    /// <summary>A caller whose credentials were not accepted.</summary>
    public static Caller Refuse(ProblemCode code, string detail, RefusedCredential? refused = null) =>
        new(false, null, null, code, detail) { Refused = refused };

    /// <summary>A credential that was presented and refused: what a refusal entry records about it.</summary>
    /// <param name="Recipient">The recipient the credential was issued to.</param>
    /// <param name="ClientId">The client identity, when known.</param>
    /// <param name="TokenId">The token, when a token was presented.</param>
    public sealed record RefusedCredential(PartyId Recipient, IdentityId? ClientId, TokenId? TokenId);
}
