namespace Concordat.Data.Egress;

/// <summary>
/// The stable codes of egress plan diagnostics; see docs/errors.md (GW626x). Each means the agreement's rules cannot
/// be carried out on the dataset, so the gateway MUST NOT send rows.
/// </summary>
internal static class EgressErrorCodes
{
    /// <summary>A field rule names a field the dataset lacks.</summary>
    public const string UnknownField = "GW6260";

    /// <summary>Two field rules name one field.</summary>
    public const string DuplicateRule = "GW6261";

    /// <summary>A mask rule's parameter is not a whole number of characters to keep.</summary>
    public const string InvalidMask = "GW6262";

    /// <summary>A generalise rule's parameter is malformed or does not fit the field's type.</summary>
    public const string InvalidGeneralisation = "GW6263";

    /// <summary>A row rule requires consent but the dataset declares no consent field.</summary>
    public const string NoConsentField = "GW6264";

    /// <summary>A row rule requires residency but the dataset declares no residency field.</summary>
    public const string NoResidencyField = "GW6265";

    /// <summary>A pseudonymise rule applies but no pseudonym key was given.</summary>
    public const string NoPseudonymKey = "GW6266";

    /// <summary>The stored dataset's schema differs from the agreement's dataset definition.</summary>
    public const string SchemaMismatch = "GW6267";
}
