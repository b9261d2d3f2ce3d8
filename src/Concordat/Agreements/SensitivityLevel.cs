namespace Concordat.Agreements;

/// <summary>
/// The sensitivity level of a dataset.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum SensitivityLevel
{
    /// <summary>Public data.</summary>
    Public,

    /// <summary>Internal data.</summary>
    Internal,

    /// <summary>Confidential data.</summary>
    Confidential,

    /// <summary>Restricted data, such as special-category personal data.</summary>
    Restricted,
}
