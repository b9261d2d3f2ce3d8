namespace Concordat.Agreements;

/// <summary>
/// A custom attribute of datasets or parties, declared once with its type so that conditions on it are checked.
/// </summary>
/// <param name="Name">The attribute name, as conditions read it (<c>recipient.tier</c>).</param>
/// <param name="Of">What it describes.</param>
/// <param name="Type">Its type.</param>
/// <param name="Levels">For <see cref="AttributeType.Ordered"/>, the levels, lowest first; empty otherwise.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record AttributeDeclaration(string Name, AttributeOwner Of, AttributeType Type, IReadOnlyList<string> Levels);
