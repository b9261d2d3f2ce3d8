using System.Globalization;
using System.Text;
using Concordat.Data.Parquet;

namespace Concordat.Data.Tests.Parquet;

public sealed class ParquetTimeTests
{
    [Theory]
    [InlineData("2024-03-01T10:15:30.25+01:00")]
    [InlineData("2024-03-02T00:00:00Z")]
    [InlineData("2024-03-02t00:00:00z")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2024-03-01T10:15:30.123456789Z")]
    [InlineData("2024-03-01T10:15:30.1234567Z")]
    [InlineData("2024-03-01T10:15:30.9999999-14:00")]
    [InlineData("2024-03-01T10:15:30+14:01")]
    [InlineData("2024-03-01T10:15:30-23:59")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("0001-01-01T00:00:00-01:00")]
    [InlineData("9999-12-31T23:59:59.9999999-01:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("2000-02-29T12:00:00-00:00")]
    public void TryParseInstant_EdgeCases_AgreesWithDateTimeOffsetParse(string text)
    {
        var expected = Reference(text);

        var isParsed = ParquetTime.TryParseInstant(Encoding.UTF8.GetBytes(text), out var instant);

        Assert.Equal(expected, isParsed ? instant : null);
        Assert.True(!isParsed || instant.Kind == DateTimeKind.Utc);
    }

    [Fact]
    public void TryParseInstant_GeneratedDateTimes_AgreesWithDateTimeOffsetParse()
    {
        var random = new Random(16);
        for (var i = 0; i < 20_000; i++)
        {
            var text = Generate(random);

            var isParsed = ParquetTime.TryParseInstant(Encoding.UTF8.GetBytes(text), out var instant);

            Assert.True(Reference(text) == (isParsed ? instant : null), text);
        }
    }

    [Theory]
    [InlineData("1984-07-23")]
    [InlineData("2000-02-29")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void ParseDate_StoredDates_AgreesWithParseExact(string text)
    {
        Assert.Equal(DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), ParquetTime.ParseDate(Encoding.UTF8.GetBytes(text)));
    }

    // What the file held before the columnar writer: the rows endpoint's text read back by DateTimeOffset.TryParse.
    private static DateTime? Reference(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.UtcDateTime : null;

    private static string Generate(Random random)
    {
        var year = random.Next(4) == 0 ? random.Next(1, 3) : random.Next(1, 10_000);
        var month = random.Next(1, 13);
        var day = random.Next(1, DateTime.DaysInMonth(year, month) + 1);
        var fraction = random.Next(4) switch
        {
            0 => string.Empty,
            var _ => "." + string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => (char)('0' + random.Next(10)))),
        };
        var zone = random.Next(3) switch
        {
            0 => random.Next(2) == 0 ? "Z" : "z",
            var _ => string.Create(CultureInfo.InvariantCulture, $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(0, 24):00}:{random.Next(0, 60):00}"),
        };
        var separator = random.Next(10) == 0 ? 't' : 'T';
        return string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}{separator}{random.Next(24):00}:{random.Next(60):00}:{random.Next(61):00}{fraction}{zone}");
    }
}
