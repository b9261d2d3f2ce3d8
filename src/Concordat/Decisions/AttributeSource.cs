namespace Concordat.Decisions;

/// <summary>
/// Where an attribute value that decided came from. Today only the signed agreement supplies values; signed
/// attestations and due-diligence records are to follow (docs/design/decisions.md#attributes).
/// </summary>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public enum AttributeSource
{
    /// <summary>The signed agreement that governs the request (<c>agreement</c>).</summary>
    Agreement,
}
