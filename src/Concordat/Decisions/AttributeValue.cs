namespace Concordat.Decisions;

/// <summary>
/// A dataset or recipient attribute that a deciding clause's condition read, with its value and where it came from.
/// The request's own attributes (time, jurisdiction, ...) are in the request.
/// </summary>
/// <param name="Attribute">The attribute as conditions name it, such as <c>dataset.sensitivity</c>.</param>
/// <param name="Value">The value in its canonical text (a set as <c>[a, b]</c>); null when it has none, which made the condition unknown.</param>
/// <param name="Source">Where the value came from.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public sealed record AttributeValue(string Attribute, string? Value, AttributeSource Source);
