using Concordat.Core;

namespace Concordat.Data.Egress;

/// <summary>
/// What one egress sent: the figures the gateway logs and the recipient can check its copy against.
/// </summary>
/// <param name="RowsSent">Rows whose bytes were written to the destination.</param>
/// <param name="BytesSent">Bytes written to the destination, header included.</param>
/// <param name="Sha256">The SHA-256 of exactly those bytes, in order.</param>
/// <param name="RowsFilteredByConsent">Rows withheld because their consent basis does not cover the purpose (or is empty).</param>
/// <param name="RowsFilteredByResidency">Rows withheld because they are not resident in an accepted jurisdiction; a row withheld for consent is not counted again.</param>
/// <param name="IsComplete"><see langword="false"/> when the stream stopped early (cancellation, such as a seal): the figures then cover every completed write, and the last write may have reached the destination in part.</param>
// CAUTION: persisted/public format (logged, and served as the receipt); see docs/formats/datasets.md
public sealed record EgressReceipt(long RowsSent, long BytesSent, Sha256Digest Sha256, long RowsFilteredByConsent, long RowsFilteredByResidency, bool IsComplete);
