using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// Parses SPDX licence expressions and checks their identifiers against an <see cref="SpdxLicenceList"/>.
/// </summary>
/// <remarks>
/// <see href="https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/">SPDX specification, Annex D</see>:
/// <c>+</c> binds tightest, then <c>WITH</c>, then <c>AND</c>, then <c>OR</c>; parentheses group. Operators MUST be
/// all upper or all lower case (<c>AND</c>, <c>and</c>); identifiers match in any case and come back in the list's
/// case; the <c>LicenseRef-</c>, <c>DocumentRef-</c> and <c>AdditionRef-</c> prefixes are case-sensitive (the ABNF's
/// <c>%s</c>). A syntax error stops the parse at its place; every unknown identifier is reported, each with the closest
/// known one as help.
/// </remarks>
public static class LicenceExpressionParser
{
    /// <summary>The longest expression read, in characters.</summary>
    public const int MaxLength = 4096;

    private const int MaxDepth = 32;

    /// <summary>Parses an expression against the list this build carries.</summary>
    /// <param name="text">The expression, on one line.</param>
    /// <param name="file">The name spans give as their file (<c>-</c> for standard input or a command-line argument).</param>
    /// <returns>The expression when it has no error, and every problem found.</returns>
    public static LicenceParseResult Parse(string text, string file = "-") => Parse(text, SpdxLicenceList.Default, file);

    /// <summary>Parses an expression against a licence list.</summary>
    /// <param name="text">The expression, on one line.</param>
    /// <param name="list">The licence and exception identifiers known.</param>
    /// <param name="file">The name spans give as their file.</param>
    /// <returns>The expression when it has no error, and every problem found.</returns>
    public static LicenceParseResult Parse(string text, SpdxLicenceList list, string file = "-")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(list);
        var diagnostics = new List<Diagnostic>();
        if (text.Length > MaxLength)
        {
            diagnostics.Add(LicenceErrorCodes.ExpressionMalformed.Error($"the expression is longer than {MaxLength} characters", new SourceSpan(file, 1, 1, 1, 1)));
            return new LicenceParseResult(null, diagnostics);
        }

        var parser = new Parser(text, list, file, diagnostics);
        var expression = parser.ParseAll();
        return new LicenceParseResult(diagnostics.Any(d => d.IsError) ? null : expression, diagnostics);
    }

    private enum Kind
    {
        Word,
        Open,
        Close,
        End,
    }

    private readonly record struct Token(Kind Kind, int Start, int End, bool Plus, string Text);

    private sealed class Parser(string text, SpdxLicenceList list, string file, List<Diagnostic> diagnostics)
    {
        private int _position;
        private Token _current;
        private int _depth;

        public LicenceExpression? ParseAll()
        {
            try
            {
                Advance();
                if (_current.Kind == Kind.End)
                {
                    throw Malformed("the expression is empty", _current);
                }

                var expression = ParseOr();
                if (_current.Kind != Kind.End)
                {
                    throw Malformed($"expected `AND`, `OR` or the end, found `{_current.Text}`", _current);
                }

                return expression;
            }
            catch (SyntaxException error)
            {
                diagnostics.Add(error.Diagnostic);
                return null;
            }
        }

        private LicenceExpression ParseOr()
        {
            var left = ParseAnd();
            if (!IsOperator("OR"))
            {
                return left;
            }

            Advance();
            return new LicenceOr(left, ParseOr());
        }

        private LicenceExpression ParseAnd()
        {
            var left = ParseWith();
            if (!IsOperator("AND"))
            {
                return left;
            }

            Advance();
            return new LicenceAnd(left, ParseAnd());
        }

        private LicenceExpression ParseWith()
        {
            if (_current.Kind == Kind.Open)
            {
                var open = _current;
                if (++_depth > MaxDepth)
                {
                    throw Malformed($"parentheses nest deeper than {MaxDepth}", open);
                }

                Advance();
                var inner = ParseOr();
                if (_current.Kind != Kind.Close)
                {
                    throw Malformed($"expected `)` to close the `(` at column {open.Start + 1}, found {Describe(_current)}", _current);
                }

                _depth--;
                Advance();
                return inner;
            }

            var licence = ExpectWord("a licence identifier");
            var term = Licence(licence);
            Advance();
            if (!IsOperator("WITH"))
            {
                return term;
            }

            var with = _current;
            Advance();
            var addition = ExpectWord("an exception identifier after `WITH`");
            if (addition.Plus)
            {
                throw Malformed("`+` follows a licence identifier, not an exception", addition);
            }

            Advance();
            return term with { Exception = Exception(addition, with) };
        }

        private LicenceTerm Licence(Token token)
        {
            var id = token.Text;
            if (IsReference(id, "LicenseRef-"))
            {
                if (token.Plus)
                {
                    throw Malformed($"`+` cannot follow a user-defined licence `{id}`", token);
                }

                return new LicenceTerm(id);
            }

            if (id.Contains(':', StringComparison.Ordinal))
            {
                throw Malformed($"`{id}` is not `DocumentRef-…:LicenseRef-…`", token);
            }

            if (!list.TryFindLicence(id, out var canonical, out var isDeprecated))
            {
                var closest = list.ClosestLicence(id);
                diagnostics.Add(LicenceErrorCodes.UnknownLicence.Error($"`{id}` is not on the SPDX licence list {SpdxLicenceList.LicenceListVersion}", Span(token), closest is null ? null : $"did you mean `{closest}`?"));
                return new LicenceTerm(id, token.Plus);
            }

            if (isDeprecated)
            {
                var replacement = list.TryFindLicence(canonical + "-only", out var only, out _) ? $"use `{only}` (or `{canonical}-or-later`)" : "use the identifier the SPDX list gives in its place";
                diagnostics.Add(LicenceErrorCodes.DeprecatedLicence.Warning($"`{canonical}` is deprecated on the SPDX licence list", Span(token), replacement));
            }

            return new LicenceTerm(canonical, token.Plus);
        }

        private string Exception(Token token, Token with)
        {
            var id = token.Text;
            if (IsReference(id, "AdditionRef-"))
            {
                return id;
            }

            if (!list.TryFindException(id, out var canonical, out var isDeprecated))
            {
                var closest = list.ClosestException(id);
                var what = list.TryFindLicence(id, out _, out _) ? "is a licence, not an exception" : $"is not on the SPDX exceptions list {SpdxLicenceList.ExceptionListVersion}";
                diagnostics.Add(LicenceErrorCodes.UnknownException.Error($"`{id}` after `{with.Text}` {what}", Span(token), closest is null ? null : $"did you mean `{closest}`?"));
                return id;
            }

            if (isDeprecated)
            {
                diagnostics.Add(LicenceErrorCodes.DeprecatedLicence.Warning($"`{canonical}` is deprecated on the SPDX exceptions list", Span(token)));
            }

            return canonical;
        }

        private static bool IsReference(string id, string prefix)
        {
            // Spec: Annex D ABNF: license-ref = [%s"DocumentRef-"(idstring)":"]%s"LicenseRef-"(idstring).
            var colon = id.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                var document = id[..colon];
                return document.Length > "DocumentRef-".Length && document.StartsWith("DocumentRef-", StringComparison.Ordinal)
                    && !document.AsSpan("DocumentRef-".Length).Contains(':')
                    && IsReference(id[(colon + 1)..], prefix);
            }

            return id.Length > prefix.Length && id.StartsWith(prefix, StringComparison.Ordinal);
        }

        private Token ExpectWord(string what)
        {
            if (_current.Kind != Kind.Word || IsAnyOperator(_current.Text))
            {
                throw Malformed($"expected {what}, found {Describe(_current)}", _current);
            }

            return _current;
        }

        private bool IsOperator(string upper) =>
            _current.Kind == Kind.Word && _current.Text.Equals(upper, StringComparison.OrdinalIgnoreCase) && !_current.Plus;

        private static bool IsAnyOperator(string word) =>
            word.Equals("AND", StringComparison.OrdinalIgnoreCase) || word.Equals("OR", StringComparison.OrdinalIgnoreCase) || word.Equals("WITH", StringComparison.OrdinalIgnoreCase);

        private void Advance()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t')
            {
                _position++;
            }

            if (_position == text.Length)
            {
                _current = new Token(Kind.End, _position, _position, false, string.Empty);
                return;
            }

            var start = _position;
            var c = text[_position];
            if (c is '(' or ')')
            {
                _position++;
                _current = new Token(c == '(' ? Kind.Open : Kind.Close, start, _position, false, c.ToString());
                return;
            }

            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '-' or '.' or ':'))
            {
                _position++;
            }

            if (_position == start)
            {
                var what = c == '+' ? "`+` must follow a licence identifier with no space between" : $"`{c}` cannot appear in a licence expression";
                throw Malformed(what, new Token(Kind.Word, start, start + 1, false, c.ToString()));
            }

            var word = text[start.._position];
            var plus = _position < text.Length && text[_position] == '+';
            if (plus)
            {
                _position++;
            }

            _current = new Token(Kind.Word, start, _position, plus, word);
            if (IsAnyOperator(word) && !IsOperatorCase(word))
            {
                throw Malformed($"operator `{word}` mixes upper and lower case: write `{word.ToUpperInvariant()}` or `{word.ToLowerInvariant()}`", _current);
            }

            if (IsAnyOperator(word) && plus)
            {
                throw Malformed("`+` must follow a licence identifier, not an operator", _current);
            }
        }

        // Spec: Annex D.2: operators are matched case-sensitively: all upper case or all lower case.
        private static bool IsOperatorCase(string word) => word.All(char.IsAsciiLetterUpper) || word.All(char.IsAsciiLetterLower);

        private static string Describe(Token token) => token.Kind == Kind.End ? "the end" : $"`{token.Text}`";

        private SourceSpan Span(Token token) => new(file, 1, token.Start + 1, 1, Math.Max(token.End, token.Start + 1) + 1);

        private SyntaxException Malformed(string message, Token token) =>
            new(LicenceErrorCodes.ExpressionMalformed.Error(message, Span(token)));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Private control flow out of the recursive descent; never escapes Parse.")]
    private sealed class SyntaxException(Diagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public Diagnostic Diagnostic { get; } = diagnostic;
    }
}
