using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Concordat.Agreements.Conditions;

/// <summary>
/// Reads the text of a condition into its syntax tree. Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>,
/// then comparisons, memberships and quantifiers, which do not chain.
/// </summary>
internal sealed class ConditionParser
{
    /// <summary>The longest condition text read; longer texts are an error, not a slow parse.</summary>
    public const int MaxLength = 2000;

    private const int MaxDepth = 32;

    private static readonly string[] s_keywords = ["and", "or", "not", "in", "contains", "all", "any", "true", "false"];

    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _position;
    private int _depth;

    private ConditionParser(string text) => _text = text;

    private enum TokenKind
    {
        Word,
        Quoted,
        Symbol,
        End,
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what and where.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ConditionSyntax? syntax, out ConditionProblem problem)
    {
        syntax = null;
        problem = default;
        if (text.Length > MaxLength)
        {
            problem = new ConditionProblem($"the condition is longer than {MaxLength} characters", 0, text.Length);
            return false;
        }

        var parser = new ConditionParser(text);
        if (!parser.Tokenize(out problem))
        {
            return false;
        }

        try
        {
            var result = parser.ParseOr();
            if (parser.Peek.Kind != TokenKind.End)
            {
                throw parser.Unexpected("`and`, `or` or the end of the condition");
            }

            syntax = result;
            return true;
        }
        catch (ConditionSyntaxException ex)
        {
            problem = ex.Problem;
            return false;
        }
    }

    private Token Peek => _tokens[_position];

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '+' or '-';

    private bool Tokenize(out ConditionProblem problem)
    {
        problem = default;
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }
            else if (c is '(' or ')' or '[' or ']' or ',')
            {
                _tokens.Add(new Token(TokenKind.Symbol, c.ToString(), i, i + 1));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < _text.Length && _text[i + 1] == '=';
                var symbol = two ? _text.Substring(i, 2) : c.ToString();
                if (symbol is "=" or "!")
                {
                    problem = new ConditionProblem($"`{symbol}` is not an operator; write `==` or `!=`", i, i + 1);
                    return false;
                }

                _tokens.Add(new Token(TokenKind.Symbol, symbol, i, i + symbol.Length));
                i += symbol.Length;
            }
            else if (c is '\'' or '"')
            {
                var start = i;
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= _text.Length)
                    {
                        problem = new ConditionProblem("a quoted string is not closed", start, _text.Length);
                        return false;
                    }

                    if (_text[i] == c)
                    {
                        // A quote written twice stands for itself.
                        if (i + 1 < _text.Length && _text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(_text[i++]);
                }

                _tokens.Add(new Token(TokenKind.Quoted, value.ToString(), start, i));
            }
            else if (IsWordCharacter(c))
            {
                var start = i;
                while (i < _text.Length && IsWordCharacter(_text[i]))
                {
                    i++;
                }

                _tokens.Add(new Token(TokenKind.Word, _text[start..i], start, i));
            }
            else
            {
                problem = new ConditionProblem($"unexpected character `{c}`", i, i + 1);
                return false;
            }
        }

        _tokens.Add(new Token(TokenKind.End, string.Empty, _text.Length, _text.Length));
        return true;
    }

    private ConditionSyntax ParseOr() => ParseJunction(isAnd: false);

    private ConditionSyntax ParseJunction(bool isAnd)
    {
        var keyword = isAnd ? "and" : "or";
        var first = isAnd ? ParseUnary() : ParseJunction(isAnd: true);
        if (!IsKeyword(keyword))
        {
            return first;
        }

        var operands = new List<ConditionSyntax> { first };
        while (IsKeyword(keyword))
        {
            _position++;
            operands.Add(isAnd ? ParseUnary() : ParseJunction(isAnd: true));
        }

        return new JunctionSyntax(isAnd, operands, first.Start, operands[^1].End);
    }

    private ConditionSyntax ParseUnary()
    {
        if (++_depth > MaxDepth)
        {
            throw new ConditionSyntaxException(new ConditionProblem($"the condition nests deeper than {MaxDepth} levels", Peek.Start, Peek.End));
        }

        try
        {
            if (IsKeyword("not"))
            {
                var start = Peek.Start;
                _position++;
                var operand = ParseUnary();
                return new NotSyntax(operand, start, operand.End);
            }

            return ParseAtom();
        }
        finally
        {
            _depth--;
        }
    }

    private ConditionSyntax ParseAtom()
    {
        if (IsSymbol("("))
        {
            _position++;
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        if (IsKeyword("all") || IsKeyword("any"))
        {
            var start = Peek.Start;
            var isAll = Peek.Text == "all";
            _position++;
            var set = ParseOperand();
            if (!IsKeyword("in"))
            {
                throw Unexpected($"`in` after `{(isAll ? "all" : "any")}`");
            }

            _position++;
            var target = ParseOperand();
            return new QuantifiedSyntax(isAll, set, target, start, target.End);
        }

        var left = ParseOperand();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Peek.Text;
            _position++;
            var right = ParseOperand();
            return new ComparisonSyntax(op, left, right, left.Start, right.End);
        }

        if (IsKeyword("in"))
        {
            _position++;
            var right = ParseOperand();
            return new ComparisonSyntax("in", left, right, left.Start, right.End);
        }

        if (IsKeyword("contains"))
        {
            _position++;
            var element = ParseOperand();
            return new ComparisonSyntax("in", element, left, left.Start, element.End);
        }

        return left;
    }

    private ConditionSyntax ParseOperand()
    {
        var token = Peek;
        if (token.Kind == TokenKind.Symbol && token.Text == "[")
        {
            _position++;
            var items = new List<WordSyntax>();
            while (!IsSymbol("]"))
            {
                if (items.Count > 0)
                {
                    Expect(",");
                }

                items.Add(ParseWord("a value"));
            }

            var end = Peek.End;
            _position++;
            return new SetSyntax(items, token.Start, end);
        }

        if (token.Kind == TokenKind.Word && token.Text is "true" or "false")
        {
            _position++;
            return new BooleanSyntax(token.Text == "true", token.Start, token.End);
        }

        return ParseWord("an attribute or a value");
    }

    private WordSyntax ParseWord(string expected)
    {
        var token = Peek;
        if (token.Kind == TokenKind.Quoted || (token.Kind == TokenKind.Word && !s_keywords.Contains(token.Text)))
        {
            _position++;
            return new WordSyntax(token.Text, token.Kind == TokenKind.Quoted, token.Start, token.End);
        }

        throw Unexpected(expected);
    }

    private void Expect(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw Unexpected($"`{symbol}`");
        }

        _position++;
    }

    private bool IsSymbol(string symbol) => Peek.Kind == TokenKind.Symbol && Peek.Text == symbol;

    private bool IsKeyword(string keyword) => Peek.Kind == TokenKind.Word && Peek.Text == keyword;

    private ConditionSyntaxException Unexpected(string expected)
    {
        var token = Peek;
        var found = token.Kind == TokenKind.End ? "the end of the condition" : $"`{token.Text}`";
        return new ConditionSyntaxException(new ConditionProblem($"expected {expected}, found {found}", token.Start, Math.Max(token.End, token.Start + 1)));
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Start, int End);

    [SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Never leaves the parser: it unwinds a failed parse into a problem")]
    [SuppressMessage("Design", "CA1032:Implement standard exception constructors", Justification = "Never leaves the parser; built only with its problem")]
    private sealed class ConditionSyntaxException(ConditionProblem problem) : Exception(problem.Message)
    {
        public ConditionProblem Problem { get; } = problem;
    }
}
