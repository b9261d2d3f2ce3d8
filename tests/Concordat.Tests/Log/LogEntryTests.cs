using System.Text;
using System.Text.Json;
using Concordat.Log;

namespace Concordat.Tests.Log;

public sealed class LogEntryTests
{
    private static readonly DateTimeOffset s_time = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(4567);

    [Fact]
    public void Create_Body_WritesCanonicalJsonWithUtcMillisecondTime()
    {
        using var body = JsonDocument.Parse("""{ "z": 1.50, "a": ["x", true], "decisionId": "d-1" }""");

        var entry = LogEntry.Create("decision/v1", s_time, body.RootElement);

        Assert.Equal(
            """{"body":{"a":["x",true],"decisionId":"d-1","z":1.5},"time":"2026-03-04T03:06:07.891Z","type":"decision/v1"}""",
            Encoding.UTF8.GetString(entry.CanonicalBytes.Span));
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 3, 6, 7, 891, TimeSpan.Zero), entry.Time);
    }

    [Fact]
    public void Create_EntryOfTheLargestSizeATileBundleCarries_IsAcceptedAndOneByteMoreIsNot()
    {
        // {"body":"...","time":"2026-03-04T03:06:07.891Z","type":"decision/v1"} is 66 bytes around the string.
        var fits = JsonSerializer.SerializeToElement(new string('a', Concordat.Tiles.EntryBundle.MaxEntrySize - 66));
        var over = JsonSerializer.SerializeToElement(new string('a', Concordat.Tiles.EntryBundle.MaxEntrySize - 65));

        Assert.Equal(65_535, LogEntry.Create("decision/v1", s_time, fits).CanonicalBytes.Length);
        Assert.Throws<ArgumentException>(() => LogEntry.Create("decision/v1", s_time, over));
    }

    [Theory]
    [InlineData("decision/v1", true)]
    [InlineData("credential.issued/v12", true)]
    [InlineData("incident-step/v3", true)]
    [InlineData("decision", false)]
    [InlineData("decision/v0", false)]
    [InlineData("decision/v01", false)]
    [InlineData("Decision/v1", false)]
    [InlineData("/v1", false)]
    [InlineData("de cision/v1", false)]
    [InlineData("decision/v1x", false)]
    public void IsValidType_Candidate_ReportsWhetherVersioned(string type, bool expected)
    {
        Assert.Equal(expected, LogEntry.IsValidType(type));
    }

    [Fact]
    public void Create_UnversionedType_Throws()
    {
        using var body = JsonDocument.Parse("{}");

        var error = Assert.Throws<ArgumentException>(() => LogEntry.Create("decision", s_time, body.RootElement));

        Assert.Contains("`decision`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_CanonicalBytes_RoundTrips()
    {
        using var body = JsonDocument.Parse("""{"n":1}""");
        var entry = LogEntry.Create("test/v1", s_time, body.RootElement);

        var parsed = LogEntry.TryParse(entry.CanonicalBytes.Span, out var read, out var error);

        Assert.True(parsed, error);
        Assert.Equal("test/v1", read!.Type);
        Assert.Equal(entry.Time, read.Time);
        Assert.Equal(1, read.Body.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"test/v1","time":"2026-03-04T03:06:07.891Z","body":{}}""", "canonical")]
    [InlineData("""{"body":{},"time":"yesterday","type":"test/v1"}""", "`time`")]
    [InlineData("""{"body":{},"extra":1,"time":"2026-03-04T03:06:07.891Z","type":"test/v1"}""", "exactly")]
    [InlineData("""{"body":{},"time":"2026-03-04T03:06:07.891Z","type":"test"}""", "`type`")]
    [InlineData("""[1,2""", "invalid JSON")]
    [InlineData("""{"body":{},"time":"2026-03-04T03:06:07.891Z","type":"test/v1"} """, "canonical")]
    [InlineData("""{"body":{"b":1,"a":2},"time":"2026-03-04T03:06:07.891Z","type":"test/v1"}""", "canonical")]
    [InlineData("""{"body":1.0,"time":"2026-03-04T03:06:07.891Z","type":"test/v1"}""", "canonical")]
    [InlineData("""{"body":{},"time":"\u0032026-03-04T03:06:07.891Z","type":"test/v1"}""", "canonical")]
    [InlineData("""{"body":{"a":1,"a":1},"time":"2026-03-04T03:06:07.891Z","type":"test/v1"}""", "more than once")]
    [InlineData("""{"body":{},"time":1,"type":"test/v1"}""", "`time`")]
    [InlineData("""{"body":{},"time":"2026-03-04T03:06:07.891Z+00:00","type":"test/v1"}""", "`time`")]
    public void TryParse_NotACanonicalEntry_SaysWhy(string text, string expected)
    {
        var parsed = LogEntry.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error);

        Assert.False(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AfterALargerEntry_ComparesTheSmallerOneOnly()
    {
        // The canonical form is compared in a buffer reused per thread: a shorter entry read after a longer one is
        // checked against its own canonical bytes, not what is left of the longer one's.
        using var large = JsonDocument.Parse($$"""{"pad":"{{new string('x', 4_000)}}"}""");
        using var small = JsonDocument.Parse("""{"n":2}""");
        var first = LogEntry.Create("test/v1", s_time, large.RootElement);
        var second = LogEntry.Create("test/v1", s_time, small.RootElement);

        Assert.True(LogEntry.TryParse(first.CanonicalBytes.Span, out _, out var error), error);
        Assert.True(LogEntry.TryParse(second.CanonicalBytes.Span, out var read, out error), error);
        Assert.False(LogEntry.TryParse(first.CanonicalBytes.Span[..second.CanonicalBytes.Length], out _, out _));
        Assert.Equal(2, read!.Body.GetProperty("n").GetInt32());
        Assert.Equal(second.CanonicalBytes.ToArray(), read.CanonicalBytes.ToArray());
    }

    [Fact]
    public void TryParse_StoredBytesChangedAfterwards_TheEntryKeepsWhatWasRead()
    {
        using var body = JsonDocument.Parse("""{"n":1}""");
        var stored = LogEntry.Create("test/v1", s_time, body.RootElement).CanonicalBytes.ToArray();

        Assert.True(LogEntry.TryParse(stored, out var read, out var error), error);
        var before = read!.ToString();
        Array.Fill(stored, (byte)' ');

        Assert.Equal(before, read.ToString());
        Assert.Equal(1, read.Body.GetProperty("n").GetInt32());
    }
}
