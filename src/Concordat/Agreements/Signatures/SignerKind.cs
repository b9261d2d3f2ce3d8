namespace Concordat.Agreements.Signatures;

/// <summary>
/// Whether a required signer is a party or an approver.
/// </summary>
public enum SignerKind
{
    /// <summary>A party of the agreement.</summary>
    Party,

    /// <summary>A required approver, such as an ethics board or a DPO.</summary>
    Approver,
}
