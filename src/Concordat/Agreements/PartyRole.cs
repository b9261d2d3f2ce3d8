namespace Concordat.Agreements;

/// <summary>
/// A role a party plays in the agreement.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum PartyRole
{
    /// <summary>Provides data.</summary>
    Provider,

    /// <summary>Receives data.</summary>
    Recipient,

    /// <summary>Processes data on behalf of another party.</summary>
    Processor,

    /// <summary>Processes data on behalf of a processor.</summary>
    Subprocessor,

    /// <summary>A controller in the GDPR sense.</summary>
    Controller,

    /// <summary>A processor in the GDPR sense.</summary>
    ProcessorGdpr,
}
