namespace Concordat.Licences;

/// <summary>
/// A parsed SPDX licence expression: a <see cref="LicenceTerm"/>, or a <see cref="LicenceAnd"/> or
/// <see cref="LicenceOr"/> of two expressions. Identifiers are in the SPDX list's canonical case.
/// </summary>
/// <remarks>
/// A chain of one operator nests to the right (<c>A AND B AND C</c> is <c>A AND (B AND C)</c>), as in npm's
/// <c>spdx-expression-parse</c>; both operators are associative and commutative
/// (<see href="https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/">Annex D.4</see>), so the shape
/// changes no meaning. <see cref="object.ToString"/> writes the expression back, with the parentheses the tree needs.
/// </remarks>
// CAUTION: public format (the CLI's JSON output); see docs/design/licences.md
public abstract record LicenceExpression
{
    private protected LicenceExpression()
    {
    }

    /// <summary>Gets the terms of the expression, left to right.</summary>
    public abstract IEnumerable<LicenceTerm> Terms { get; }
}
