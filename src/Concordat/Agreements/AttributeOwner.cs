namespace Concordat.Agreements;

/// <summary>
/// What a custom attribute describes.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum AttributeOwner
{
    /// <summary>A dataset (read in conditions as <c>dataset.NAME</c>).</summary>
    Dataset,

    /// <summary>A party (read in conditions as <c>recipient.NAME</c>).</summary>
    Party,
}
