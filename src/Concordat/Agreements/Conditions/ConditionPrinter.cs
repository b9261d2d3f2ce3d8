using System.Text;

namespace Concordat.Agreements.Conditions;

/// <summary>
/// Writes a condition's canonical text, the form its digest and equality use: single spaces, no redundant
/// parentheses, nested <c>and</c>s and <c>or</c>s flattened, set literals sorted and without repeats, a word quoted
/// only when it must be.
/// </summary>
internal static class ConditionPrinter
{
    private static readonly string[] s_keywords = ["and", "or", "not", "in", "contains", "all", "any", "true", "false"];

    public static string Print(ConditionSyntax syntax)
    {
        var text = new StringBuilder();
        Write(text, syntax);
        return text.ToString();
    }

    private static void Write(StringBuilder text, ConditionSyntax syntax)
    {
        switch (syntax)
        {
            case JunctionSyntax junction:
                var first = true;
                foreach (var operand in Flatten(junction))
                {
                    text.Append(first ? string.Empty : junction.IsAnd ? " and " : " or ");
                    first = false;

                    // Invariant: `or` binds looser than `and`, so only an `or` inside an `and` needs parentheses.
                    WriteGrouped(text, operand, operand is JunctionSyntax);
                }

                break;
            case NotSyntax not:
                text.Append("not ");
                WriteGrouped(text, not.Operand, not.Operand is JunctionSyntax);
                break;
            case ComparisonSyntax comparison:
                Write(text, comparison.Left);
                text.Append(' ').Append(comparison.Operator).Append(' ');
                Write(text, comparison.Right);
                break;
            case QuantifiedSyntax quantified:
                text.Append(quantified.IsAll ? "all " : "any ");
                Write(text, quantified.Set);
                text.Append(" in ");
                Write(text, quantified.In);
                break;
            case SetSyntax set:
                text.Append('[');
                text.AppendJoin(", ", set.Items.Select(Word).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
                text.Append(']');
                break;
            case BooleanSyntax boolean:
                text.Append(boolean.Value ? "true" : "false");
                break;
            case WordSyntax word:
                text.Append(Word(word));
                break;
            default:
                throw new InvalidOperationException("unknown condition node");
        }
    }

    private static void WriteGrouped(StringBuilder text, ConditionSyntax syntax, bool parenthesise)
    {
        text.Append(parenthesise ? "(" : string.Empty);
        Write(text, syntax);
        text.Append(parenthesise ? ")" : string.Empty);
    }

    private static IEnumerable<ConditionSyntax> Flatten(JunctionSyntax junction) =>
        junction.Operands.SelectMany(o => o is JunctionSyntax inner && inner.IsAnd == junction.IsAnd ? Flatten(inner) : [o]);

    private static string Word(WordSyntax word)
    {
        var bare = word.Text.Length > 0
            && word.Text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '+' or '-')
            && !s_keywords.Contains(word.Text)
            && (!word.IsQuoted || !new WordSyntax(word.Text, false, 0, 0).IsPath);
        return bare ? word.Text : $"'{word.Text.Replace("'", "''", StringComparison.Ordinal)}'";
    }
}
