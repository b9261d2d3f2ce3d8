using System.Text;
using Concordat.Privacy;

namespace Concordat.Tests.Privacy;

public sealed class GeneralisationTests
{
    [Theory]
    [InlineData("month", GeneralisationKind.Month, 0)]
    [InlineData("year", GeneralisationKind.Year, 0)]
    [InlineData("range:10", GeneralisationKind.Range, 10)]
    [InlineData("prefix:3", GeneralisationKind.Prefix, 3)]
    public void TryParse_WellFormed_ReturnsKindAndAmount(string text, GeneralisationKind kind, long amount)
    {
        Assert.True(Generalisation.TryParse(text, out var parsed));
        Assert.Equal(new Generalisation(kind, amount), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Month")]
    [InlineData("range")]
    [InlineData("range:")]
    [InlineData("range:0")]
    [InlineData("range:-5")]
    [InlineData("range:05")]
    [InlineData("range:1x")]
    [InlineData("prefix:99999999999")]
    [InlineData("round:10")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(Generalisation.TryParse(text, out _));
    }

    [Theory]
    [InlineData("month", "1984-07-23", "1984-07")]
    [InlineData("year", "1984-07-23", "1984")]
    [InlineData("month", "2025-03-01T08:30:00+01:00", "2025-03")]
    [InlineData("range:10", "42", "40-49")]
    [InlineData("range:10", "40", "40-49")]
    [InlineData("range:10", "0", "0-9")]
    [InlineData("range:10", "-3", "-10--1")]
    [InlineData("range:5", "72.5", "70-74")]
    [InlineData("range:1000", "9223372036854774001", "9223372036854774000-9223372036854774999")]
    [InlineData("prefix:3", "SW1A 1AA", "SW1")]
    [InlineData("prefix:3", "N1 9GU", "N1")]
    [InlineData("prefix:2", "Zoë", "Zo")]
    [InlineData("prefix:3", "Zoë", "Zoë")]
    public void TryApply_ValueOfRightShape_WritesCoarsenedValue(string parameter, string value, string expected)
    {
        Assert.True(Generalisation.TryParse(parameter, out var sut));

        Assert.True(Apply(sut, value, out var result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("month", "84-07-23")]
    [InlineData("year", "July 1984")]
    [InlineData("range:10", "forty")]
    [InlineData("range:10", "42abc")]
    [InlineData("range:10", "")]
    [InlineData("range:1000", "9223372036854775807")]
    [InlineData("prefix:3", "   ")]
    public void TryApply_ValueOfWrongShape_ReturnsFalse(string parameter, string value)
    {
        Assert.True(Generalisation.TryParse(parameter, out var sut));

        Assert.False(Apply(sut, value, out _));
    }

    private static bool Apply(Generalisation sut, string value, out string result)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var destination = new byte[Math.Max(utf8.Length, Generalisation.MaxRangeLength)];
        var ok = sut.TryApply(utf8, destination, out var written);
        result = Encoding.UTF8.GetString(destination, 0, written);
        return ok;
    }
}
