using System.Text.RegularExpressions;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Checks the syntax of an SPDX licence expression (identifiers, <c>+</c>, <c>WITH</c>, <c>AND</c>, <c>OR</c>,
/// parentheses); it does not check identifiers against the SPDX licence list.
/// </summary>
// Spec: SPDX specification 2.3, Annex D (SPDX license expressions).
internal static partial class SpdxExpression
{
    public static bool IsWellFormed(string text)
    {
        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (string.Concat(tokens) != string.Concat(text.Where(c => !char.IsWhiteSpace(c))) || tokens.Count == 0)
        {
            return false;
        }

        var position = 0;
        return Expression(tokens, ref position, depth: 0) && position == tokens.Count;
    }

    private static bool Expression(List<string> tokens, ref int position, int depth)
    {
        if (depth > 16 || !Term(tokens, ref position, depth))
        {
            return false;
        }

        while (position < tokens.Count && tokens[position] is "AND" or "OR")
        {
            position++;
            if (!Term(tokens, ref position, depth))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Term(List<string> tokens, ref int position, int depth)
    {
        if (position >= tokens.Count)
        {
            return false;
        }

        if (tokens[position] == "(")
        {
            position++;
            if (!Expression(tokens, ref position, depth + 1) || position >= tokens.Count || tokens[position] != ")")
            {
                return false;
            }

            position++;
            return true;
        }

        if (!IsIdentifier(tokens[position]))
        {
            return false;
        }

        position++;
        if (position < tokens.Count && tokens[position] == "WITH")
        {
            position++;
            if (position >= tokens.Count || !IsIdentifier(tokens[position]))
            {
                return false;
            }

            position++;
        }

        return true;
    }

    private static bool IsIdentifier(string token) => token is not ("AND" or "OR" or "WITH" or "(" or ")");

    [GeneratedRegex(@"\(|\)|[A-Za-z0-9.\-]+(:[A-Za-z0-9.\-]+)?\+?", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
