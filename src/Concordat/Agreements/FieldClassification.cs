namespace Concordat.Agreements;

/// <summary>
/// How identifying or sensitive a field is.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum FieldClassification
{
    /// <summary>Neither identifying nor sensitive.</summary>
    Plain,

    /// <summary>Identifies a person on its own (name, record number).</summary>
    DirectIdentifier,

    /// <summary>Identifies a person in combination (date of birth, postcode).</summary>
    QuasiIdentifier,

    /// <summary>Special-category or otherwise sensitive data (health, ethnicity).</summary>
    Sensitive,
}
