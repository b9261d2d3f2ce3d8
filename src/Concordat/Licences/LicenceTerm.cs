namespace Concordat.Licences;

/// <summary>
/// One licence in an expression: an SPDX identifier (optionally <c>+</c>, "or any later version") or a
/// <c>LicenseRef-</c>, optionally <c>WITH</c> an exception or addition.
/// </summary>
/// <param name="Id">The licence: an SPDX identifier in the list's case, <c>LicenseRef-…</c> or <c>DocumentRef-…:LicenseRef-…</c>.</param>
/// <param name="OrLater">Whether <c>+</c> follows the identifier.</param>
/// <param name="Exception">The exception (<c>WITH</c>) in the list's case, or an <c>AdditionRef-…</c>; <see langword="null"/> when none.</param>
// CAUTION: public format (the CLI's JSON output); see docs/design/licences.md
public sealed record LicenceTerm(string Id, bool OrLater = false, string? Exception = null) : LicenceExpression
{
    /// <summary>Gets a value indicating whether the licence is user-defined (<c>LicenseRef-</c>), not on the SPDX list.</summary>
    public bool IsReference => Id.StartsWith("LicenseRef-", StringComparison.Ordinal) || Id.StartsWith("DocumentRef-", StringComparison.Ordinal);

    /// <inheritdoc />
    public override IEnumerable<LicenceTerm> Terms => [this];

    /// <inheritdoc />
    public override string ToString() => (OrLater ? Id + "+" : Id) + (Exception is null ? string.Empty : " WITH " + Exception);
}
