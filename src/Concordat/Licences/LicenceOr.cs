namespace Concordat.Licences;

/// <summary>
/// A choice (<c>OR</c>): whoever uses the work may pick either licence.
/// </summary>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
// CAUTION: public format (the CLI's JSON output); see docs/design/licences.md
public sealed record LicenceOr(LicenceExpression Left, LicenceExpression Right) : LicenceExpression
{
    /// <inheritdoc />
    public override IEnumerable<LicenceTerm> Terms => Left.Terms.Concat(Right.Terms);

    /// <inheritdoc />
    public override string ToString() => $"{(Left is LicenceOr ? $"({Left})" : Left.ToString())} OR {Right}";
}
