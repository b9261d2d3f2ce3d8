namespace Concordat.Privacy;

/// <summary>
/// How a generalise rule coarsens a value.
/// </summary>
// CAUTION: persisted/public format (the agreement's generalise parameter); see docs/formats/datasets.md
public enum GeneralisationKind
{
    /// <summary>A date or date-time to <c>YYYY-MM</c>.</summary>
    Month,

    /// <summary>A date or date-time to <c>YYYY</c>.</summary>
    Year,

    /// <summary>A number to the range of its width-aligned bucket, such as <c>40-49</c>.</summary>
    Range,

    /// <summary>A postcode or text to its first few characters.</summary>
    Prefix,
}
