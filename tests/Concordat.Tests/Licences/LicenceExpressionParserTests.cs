using Concordat.Licences;

namespace Concordat.Tests.Licences;

public sealed class LicenceExpressionParserTests
{
    // Spec: every example of SPDX specification 2.3 Annex D, written back in the canonical form the tree gives.
    [Theory]
    [InlineData("CDDL-1.0", "CDDL-1.0")]
    [InlineData("CDDL-1.0+", "CDDL-1.0+")]
    [InlineData("LicenseRef-23", "LicenseRef-23")]
    [InlineData("LicenseRef-MIT-Style-1", "LicenseRef-MIT-Style-1")]
    [InlineData("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")]
    [InlineData("GPL-2.0-only OR BSD-3-Clause", "GPL-2.0-only OR BSD-3-Clause")]
    [InlineData("LGPL-2.1-only AND BSD-3-Clause", "LGPL-2.1-only AND BSD-3-Clause")]
    [InlineData("MIT OR LGPL-2.1-only", "MIT OR LGPL-2.1-only")]
    [InlineData("LGPL-2.1-only OR MIT OR BSD-3-Clause", "LGPL-2.1-only OR MIT OR BSD-3-Clause")]
    [InlineData("LGPL-2.1-only AND MIT AND BSD-2-Clause", "LGPL-2.1-only AND MIT AND BSD-2-Clause")]
    [InlineData("GPL-2.0-or-later WITH Bison-exception-2.2", "GPL-2.0-or-later WITH Bison-exception-2.2")]
    [InlineData("LGPL-2.1-only OR BSD-3-Clause AND MIT", "LGPL-2.1-only OR BSD-3-Clause AND MIT")]
    [InlineData("MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)", "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)")]
    [InlineData("(LGPL-2.1-only or MIT)", "LGPL-2.1-only OR MIT")]
    [InlineData("mit and apache-2.0 with llvm-exception", "MIT AND Apache-2.0 WITH LLVM-exception")]
    [InlineData("GPL-2.0-only WITH AdditionRef-my-addition", "GPL-2.0-only WITH AdditionRef-my-addition")]
    public void Parse_SpecExample_WritesBackCanonically(string text, string canonical)
    {
        var result = LicenceExpressionParser.Parse(text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(canonical, result.Expression!.ToString());
    }

    [Fact]
    public void Parse_AndWithOr_AndBindsTighter()
    {
        var result = LicenceExpressionParser.Parse("LGPL-2.1-only OR BSD-3-Clause AND MIT");

        var or = Assert.IsType<LicenceOr>(result.Expression);
        Assert.Equal(new LicenceTerm("LGPL-2.1-only"), or.Left);
        Assert.Equal(new LicenceAnd(new LicenceTerm("BSD-3-Clause"), new LicenceTerm("MIT")), or.Right);
    }

    [Fact]
    public void Parse_PlusAndWith_BuildOneTerm()
    {
        var result = LicenceExpressionParser.Parse("gpl-2.0-or-later WITH classpath-exception-2.0 AND LGPL-2.1+");

        Assert.Equal(
            new LicenceAnd(new LicenceTerm("GPL-2.0-or-later", false, "Classpath-exception-2.0"), new LicenceTerm("LGPL-2.1", true)),
            result.Expression);
    }

    [Theory]
    [InlineData("", "the expression is empty", 1)]
    [InlineData("MIT AND", "expected a licence identifier, found the end", 8)]
    [InlineData("(MIT OR Apache-2.0", "expected `)` to close the `(` at column 1, found the end", 19)]
    [InlineData("MIT +", "`+` must follow a licence identifier with no space between", 5)]
    [InlineData("MIT And Apache-2.0", "operator `And` mixes upper and lower case: write `AND` or `and`", 5)]
    [InlineData("MIT Apache-2.0", "expected `AND`, `OR` or the end, found `Apache-2.0`", 5)]
    [InlineData("MIT / Apache-2.0", "`/` cannot appear in a licence expression", 5)]
    [InlineData("LicenseRef-x+", "`+` cannot follow a user-defined licence `LicenseRef-x`", 1)]
    [InlineData("MIT WITH", "expected an exception identifier after `WITH`, found the end", 9)]
    [InlineData("()", "expected a licence identifier, found `)`", 2)]
    public void Parse_Malformed_ReportsThePlace(string text, string message, int column)
    {
        var result = LicenceExpressionParser.Parse(text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Null(result.Expression);
        Assert.Equal("PRV5100", diagnostic.Code);
        Assert.Equal(message, diagnostic.Message);
        Assert.Equal(column, diagnostic.Span!.Column);
    }

    [Fact]
    public void Parse_UnknownIds_ReportsEachWithTheClosest()
    {
        var result = LicenceExpressionParser.Parse("Apache2 OR (GPL3 AND MIT WITH Classpath-exception-2)");

        Assert.Null(result.Expression);
        Assert.Collection(
            result.Diagnostics,
            d => Assert.Equal(("PRV5101", 1, "did you mean `Apache-2.0`?"), (d.Code, d.Span!.Column, d.Help)),
            d => Assert.Equal(("PRV5101", 13, "did you mean `GPL-3.0-only`?"), (d.Code, d.Span!.Column, d.Help)),
            d => Assert.Equal(("PRV5102", 31, "did you mean `Classpath-exception-2.0`?"), (d.Code, d.Span!.Column, d.Help)));
    }

    [Fact]
    public void Parse_LicenceAfterWith_SaysItIsALicence()
    {
        var result = LicenceExpressionParser.Parse("GPL-2.0-only WITH MIT");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("`MIT` after `WITH` is a licence, not an exception", diagnostic.Message);
    }

    [Fact]
    public void Parse_DeprecatedId_WarnsAndKeepsTheExpression()
    {
        var result = LicenceExpressionParser.Parse("GPL-2.0+");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("PRV5103", false), (diagnostic.Code, diagnostic.IsError));
        Assert.Equal("use `GPL-2.0-only` (or `GPL-2.0-or-later`)", diagnostic.Help);
        Assert.Equal(new LicenceTerm("GPL-2.0", true), result.Expression);
    }

    [Fact]
    public void Parse_RandomText_NeverThrows()
    {
        var random = new Random(13);
        const string Alphabet = "aAnNdDoOrRwWiItThH()+:- .0123LicenseRef-MIT";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

            var result = LicenceExpressionParser.Parse(text);

            Assert.True(result.IsValid || result.Diagnostics.Any(d => d.IsError), text);
        }
    }

    [Fact]
    public void Parse_DeepParentheses_StopsWithADiagnostic()
    {
        var text = new string('(', 100) + "MIT" + new string(')', 100);

        var result = LicenceExpressionParser.Parse(text);

        Assert.Equal("PRV5100", Assert.Single(result.Diagnostics).Code);
    }
}
