namespace Concordat.Agreements;

/// <summary>
/// The functional role a party plays for one purpose, in the GDPR sense (Art. 4(7), 4(8), 26): who decides why and how
/// data is used for it, and who only carries that out.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md#party
public enum DataRole
{
    /// <summary>Decides alone why and how data is used for the purpose.</summary>
    Controller,

    /// <summary>Uses data for the purpose only on behalf of, and on the instructions of, a controller.</summary>
    Processor,

    /// <summary>Decides why and how data is used for the purpose together with at least one other joint controller.</summary>
    JointController,
}
