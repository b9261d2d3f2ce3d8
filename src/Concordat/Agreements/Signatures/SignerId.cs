namespace Concordat.Agreements.Signatures;

/// <summary>
/// The id a party or an approver signs under: its party id or approver id.
/// </summary>
/// <param name="Value">The id.</param>
// CAUTION: persisted/public format; see docs/formats/signatures.md
public readonly record struct SignerId(string Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value;
}
