namespace Concordat.Agreements;

/// <summary>
/// The value of a declared custom attribute on one dataset or party.
/// </summary>
/// <param name="Name">The attribute name.</param>
/// <param name="Values">The value in its canonical text (an integer in decimal, an instant in RFC 3339 UTC); a set holds each member once, sorted.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record AttributeAssignment(string Name, IReadOnlyList<string> Values);
