using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// An agreement handed to <see cref="PolicyIndex.Compile"/>, with its digest and whether the caller found it in force.
/// </summary>
/// <remarks>
/// The index does not check signatures or status: the caller MUST decide which agreements are in force (every
/// required signature valid against pinned keys, not terminated, not superseded). An agreement marked not in force
/// is compiled so that requests it would cover are denied with <see cref="ReasonCode.AgreementNotInForce"/>.
/// </remarks>
/// <param name="Agreement">The validated agreement.</param>
/// <param name="Digest">Its digest, named by every decision it takes part in.</param>
/// <param name="IsInForce">Whether the agreement is in force.</param>
public sealed record PolicyAgreement(Agreement Agreement, Sha256Digest Digest, bool IsInForce = true);
