using Concordat.Agreements;
using Concordat.Gateway.Problems;
using Concordat.Registry;

namespace Concordat.Gateway.Security;

/// <summary>
/// Who is calling, as resolved once per request from its <c>Authorization</c> header: the operator, a client
/// with its identity, a bearer with its token, or nobody (with the reason the credentials were not accepted).
/// </summary>
internal sealed record Caller(bool IsOperator, IdentityRecord? Identity, TokenRecord? Token, ProblemCode? Failure, string? FailureDetail)
{
    /// <summary>The anonymous caller.</summary>
    public static readonly Caller Anonymous = new(false, null, null, null, null);

    /// <summary>Gets the recipient the caller acts for, when it is one.</summary>
    public PartyId? Recipient => Token?.Recipient ?? Identity?.Recipient;

    /// <summary>Gets the key the rate limiter partitions by.</summary>
    public string PartitionKey => IsOperator ? "operator" : Recipient is { } recipient ? "recipient:" + recipient.Value : "anonymous";
}
