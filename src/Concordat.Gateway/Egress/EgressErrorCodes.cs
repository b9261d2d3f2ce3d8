using Concordat.Core;

namespace Concordat.Gateway.Egress;

/// <summary>
/// The stable codes of egress plan diagnostics (GW626x), each with its title, meaning and fix; docs/errors.md shows
/// the same words. Each means the agreement's rules cannot be carried out on the dataset, so the gateway MUST NOT
/// send rows.
/// </summary>
internal static class EgressErrorCodes
{
    #region GW626x egress codes (stable; docs/errors.md)
    public static readonly ErrorCode UnknownField = new("GW6260", "field rule for an unknown field", "a field rule names a field the dataset lacks", "fix the grant's field rules");
    public static readonly ErrorCode DuplicateRule = new("GW6261", "two rules for one field", "two field rules for one field", "keep one");
    public static readonly ErrorCode InvalidMask = new("GW6262", "invalid mask", "a mask rule's parameter is not a whole number from 0 to 1024", "write the number of trailing characters kept");
    public static readonly ErrorCode InvalidGeneralisation = new("GW6263", "invalid generalisation", "a generalise parameter is not `month`, `year`, `range:N` or `prefix:N`, or does not fit the field's type", "`month`/`year` for dates, `range:N` for numbers, `prefix:N` for postcodes and text");
    public static readonly ErrorCode NoConsentField = new("GW6264", "no consent field", "consent is required but the dataset has no consent field", "declare `consentField`");
    public static readonly ErrorCode NoResidencyField = new("GW6265", "no residency field", "residency is restricted but the dataset has no residency field", "declare `residencyField`");
    public static readonly ErrorCode NoPseudonymKey = new("GW6266", "no pseudonym key", "a field is pseudonymised but no pseudonym key was given", "none: it is a gateway bug (the workspace key is missing); report it");
    public static readonly ErrorCode SchemaMismatch = new("GW6267", "stored schema differs", "the stored dataset's fields differ from the agreement's definition", "import a version that matches the agreement");
    #endregion
}
