using Concordat.Agreements.Conditions;

namespace Concordat.Agreements;

/// <summary>
/// A condition on attributes of the dataset, the recipient and the request, written in a grant's or a prohibition's
/// <c>when</c> or a prohibition's <c>unless</c>, such as <c>dataset.sensitivity &lt;= recipient.clearance</c>.
/// </summary>
/// <remarks>
/// Two conditions are equal when their canonical texts are: layout and the order of set literals never matter. The
/// language is in docs/formats/agreement.md#conditions.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Condition
{
    internal Condition(ConditionSyntax syntax)
    {
        Syntax = syntax;
        Text = ConditionPrinter.Print(syntax);
    }

    /// <summary>Gets the canonical text: single spaces, sets sorted, <c>contains</c> written as <c>in</c>.</summary>
    public string Text { get; }

    internal ConditionSyntax Syntax { get; }

    /// <summary>Reads a condition from its text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="condition">The condition, when the text is well formed.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    /// <returns><see langword="true"/> when the text is well formed.</returns>
    /// <remarks>Well formed is not valid: attribute names and types are checked against an agreement when it is read.</remarks>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Condition? condition, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        condition = null;
        if (!ConditionParser.TryParse(text, out var syntax, out var problem))
        {
            error = problem.Message;
            return false;
        }

        condition = new Condition(syntax);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Condition? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => string.GetHashCode(Text, StringComparison.Ordinal);

    /// <summary>Returns the canonical text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Text;
}
