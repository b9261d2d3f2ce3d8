namespace Concordat.Licences;

/// <summary>
/// Both licences apply (<c>AND</c>): whoever uses the work MUST comply with each.
/// </summary>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
// CAUTION: public format (the CLI's JSON output); see docs/design/licences.md
public sealed record LicenceAnd(LicenceExpression Left, LicenceExpression Right) : LicenceExpression
{
    /// <inheritdoc />
    public override IEnumerable<LicenceTerm> Terms => Left.Terms.Concat(Right.Terms);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Left is LicenceTerm ? Left.ToString() : $"({Left})")} AND {(Right is LicenceOr ? $"({Right})" : Right.ToString())}";
}
