using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Concordat.Evidence;

/// <summary>
/// The human report of a pack, <c>report.html</c>: one self-contained HTML file, readable offline with no script —
/// a summary first, then access over time and permits/denies by recipient and purpose as inline SVG bar charts, and
/// links to the pack's files. It is fed every carried entry; its memory is a count per day and per recipient and purpose.
/// </summary>
internal sealed class EvidenceReport
{
    private const int BarWidth = 360;

    private readonly SortedDictionary<string, long> _days = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (long Permits, long Denies)> _decisions = new(StringComparer.Ordinal);

    public void Read(ReadOnlySpan<byte> entry)
    {
        using var document = JsonDocument.Parse(entry.ToArray());
        var root = document.RootElement;
        var day = root.GetProperty("time").GetString()![..10];
        _days[day] = _days.GetValueOrDefault(day) + 1;
        if (root.GetProperty("type").GetString() != "gateway.decision/v1")
        {
            return;
        }

        var body = root.GetProperty("body");
        var key = $"{Text(body, "recipient")} / {Text(body, "purpose")}";
        var (permits, denies) = _decisions.GetValueOrDefault(key);
        _decisions[key] = Text(body, "effect") == "permit" ? (permits + 1, denies) : (permits, denies + 1);
    }

    public string Write(string agreement, string origin, long treeSize, string rootHash, long entries, IEnumerable<string> files)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evidence pack: ").Append(E(agreement)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}svg text{font-size:12px}</style></head>\n<body>\n")
            .Append("<h1>Evidence pack: ").Append(E(agreement)).Append("</h1>\n<h2>Summary</h2>\n<p>")
            .Append(entries.ToString(CultureInfo.InvariantCulture)).Append(" log entries of agreement <code>").Append(E(agreement))
            .Append("</code>, proven against the checkpoint of log <code>").Append(E(origin)).Append("</code> at size ")
            .Append(treeSize.ToString(CultureInfo.InvariantCulture)).Append(", root <code>").Append(E(rootHash))
            .Append("</code>. Verify the pack with <code>concordat evidence verify PACK --log-key KEY</code>: this page is a reading aid, the signed files are the evidence.</p>\n");
        html.Append("<h2>Access over time</h2>\n");
        Bars(html, "entries per day", _days.Select(d => (d.Key, d.Value, 0L)));
        html.Append("<h2>Permits and denies by recipient and purpose</h2>\n");
        Bars(html, "decisions", _decisions.Select(d => (d.Key, d.Value.Permits, d.Value.Denies)));
        html.Append("<h2>Files</h2>\n<ul>\n");
        foreach (var file in files)
        {
            html.Append("<li><a href=\"").Append(E(file)).Append("\">").Append(E(file)).Append("</a></li>\n");
        }

        return html.Append("</ul>\n</body></html>\n").ToString();
    }

    // One horizontal bar per row: the first value in blue (entries, permits), the second in red (denies).
    private static void Bars(StringBuilder html, string title, IEnumerable<(string Label, long First, long Second)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Append("<p>none</p>\n");
            return;
        }

        var max = Math.Max(1, list.Max(r => r.First + r.Second));
        var height = (list.Count * 22) + 10;
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(BarWidth + 320).Append("\" height=\"").Append(height)
            .Append("\"><title>").Append(E(title)).Append("</title>\n");
        for (var i = 0; i < list.Count; i++)
        {
            var (label, first, second) = list[i];
            var y = (i * 22) + 5;
            var w1 = first * BarWidth / max;
            var w2 = second * BarWidth / max;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 14}\">{E(label)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"220\" y=\"{y}\" width=\"{w1}\" height=\"18\" fill=\"#3a6ea5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{220 + w1}\" y=\"{y}\" width=\"{w2}\" height=\"18\" fill=\"#c0392b\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{226 + w1 + w2}\" y=\"{y + 14}\">{first}{(second > 0 ? $" / {second}" : string.Empty)}</text>\n");
        }

        html.Append("</svg>\n");
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
