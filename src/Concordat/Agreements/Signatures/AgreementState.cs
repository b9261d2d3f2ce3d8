namespace Concordat.Agreements.Signatures;

/// <summary>
/// Where an agreement stands at an instant. Only <see cref="InForce"/> is ever enforced.
/// </summary>
// CAUTION: persisted/public format (CLI JSON output); see docs/formats/signatures.md#status
public enum AgreementState
{
    /// <summary>No required signer has a valid signature.</summary>
    Draft,

    /// <summary>Some but not all required signers have valid signatures.</summary>
    PartlySigned,

    /// <summary>Fully signed, but the effective window has not begun.</summary>
    NotYetInEffect,

    /// <summary>Fully signed, inside the effective window, not terminated, not superseded.</summary>
    InForce,

    /// <summary>Fully signed, and the effective window has ended.</summary>
    Expired,

    /// <summary>Fully signed, and a valid termination record has taken effect.</summary>
    Terminated,

    /// <summary>Fully signed, but a newer version of the same agreement is in force.</summary>
    Superseded,
}
