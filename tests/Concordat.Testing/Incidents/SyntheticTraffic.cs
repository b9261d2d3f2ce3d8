using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Log;

namespace Concordat.Testing.Incidents;

/// <summary>
/// Gateway log entries of made-up but plausible traffic, from a seeded source: the normal weeks the detectors must
/// stay silent on, and each kind of anomaly they must catch (docs/design/incidents.md describes the week).
/// </summary>
/// <remarks>
/// A normal week: recipients with two daytime identities each (weekdays, reads from 08:xx to 17:xx UTC, a token
/// every 10–14 minutes, a read every 4–8 minutes of 400–1,600 rows from two or three datasets, 2 % denies) and a
/// nightly batch identity (02:xx every day, one read of 4,000–6,000 rows); each recipient processes in one
/// jurisdiction, and the first through one subprocessor.
/// </remarks>
public sealed class SyntheticTraffic(int seed)
{
    /// <summary>Monday 2 March 2026, 00:00 UTC: where the first week starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random = new(seed);
    private readonly List<(DateTimeOffset Time, string Type, JsonObject Body)> _events = [];
    private int _sequence;

    /// <summary>Gets the number of recipients.</summary>
    public int Recipients { get; init; } = 2;

    /// <summary>The recipient with index <paramref name="r"/>.</summary>
    public static string Recipient(int r) => $"lab-{r}";

    /// <summary>The daytime identity <paramref name="i"/> (0 or 1) of recipient <paramref name="r"/>.</summary>
    public static string Identity(int r, int i) => $"cli_{r}_{i}";

    /// <summary>Adds <paramref name="weeks"/> normal weeks from <see cref="Start"/>.</summary>
    public SyntheticTraffic NormalWeeks(int weeks)
    {
        for (var day = 0; day < 7 * weeks; day++)
        {
            var date = Start.AddDays(day);
            var isWeekday = day % 7 < 5;
            for (var r = 0; r < Recipients; r++)
            {
                Read(r, $"cli_{r}_batch", date.AddHours(2).AddMinutes(_random.Next(60)), "warehouse", _random.Next(4_000, 6_001), deny: false);
                if (!isWeekday)
                {
                    continue;
                }

                for (var i = 0; i < 2; i++)
                {
                    Workday(r, i, date);
                }
            }
        }

        return this;
    }

    /// <summary>Adds a read of <paramref name="rows"/> rows by a daytime identity at <paramref name="at"/>.</summary>
    public SyntheticTraffic Read(int r, int i, DateTimeOffset at, int rows, string? dataset = null, string? jurisdiction = null, string? subprocessor = null, bool deny = false)
    {
        Read(r, Identity(r, i), at, dataset ?? Dataset(r, 0), rows, deny, jurisdiction, subprocessor);
        return this;
    }

    /// <summary>Adds <paramref name="count"/> tokens issued to a daytime identity, <paramref name="every"/> apart.</summary>
    public SyntheticTraffic Tokens(int r, int i, DateTimeOffset at, int count, TimeSpan every)
    {
        for (var n = 0; n < count; n++)
        {
            Token(r, Identity(r, i), at + (n * every));
        }

        return this;
    }

    /// <summary>Adds <paramref name="count"/> decisions (no rows read), <paramref name="every"/> apart.</summary>
    public SyntheticTraffic Requests(int r, int i, DateTimeOffset at, int count, TimeSpan every, bool deny = false, Func<int, string>? dataset = null)
    {
        for (var n = 0; n < count; n++)
        {
            Decision(r, Identity(r, i), at + (n * every), dataset?.Invoke(n) ?? Dataset(r, 0), deny, null, null);
        }

        return this;
    }

    /// <summary>Merges two lists of entries, each in log order, into one in log order.</summary>
    public static IReadOnlyList<LogEntry> Merge(IReadOnlyList<LogEntry> a, IReadOnlyList<LogEntry> b)
    {
        var merged = new List<LogEntry>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            merged.Add(j == b.Count || (i < a.Count && a[i].Time <= b[j].Time) ? a[i++] : b[j++]);
        }

        return merged;
    }

    /// <summary>The entries, in log order.</summary>
    public IReadOnlyList<LogEntry> Entries() =>
        _events.OrderBy(e => e.Time).Select(e => LogEntry.Create(e.Type, e.Time, JsonSerializer.SerializeToElement(e.Body))).ToList();

    private static string Dataset(int r, int n) => $"dataset-{r}-{n}";

    private void Workday(int r, int i, DateTimeOffset date)
    {
        var start = date.AddHours(8).AddMinutes(_random.Next(60));
        var end = date.AddHours(17).AddMinutes(_random.Next(60));
        for (var t = start; t < end; t = t.AddMinutes(_random.Next(10, 15)))
        {
            Token(r, Identity(r, i), t);
        }

        var datasets = 2 + (r % 2);
        for (var t = start.AddSeconds(5); t < end; t = t.AddSeconds(_random.Next(240, 481)))
        {
            Read(r, Identity(r, i), t, Dataset(r, _random.Next(datasets)), _random.Next(400, 1601), _random.NextDouble() < 0.02, null, null);
        }
    }

    private void Token(int r, string client, DateTimeOffset at)
    {
        var id = $"tok_{seed}_{++_sequence}";
        _events.Add((at, "gateway.token-issued/v1", new JsonObject
        {
            ["tokenId"] = id,
            ["decisionId"] = $"dec_{seed}_{_sequence}",
            ["recipient"] = Recipient(r),
            ["clientId"] = client,
            ["expiresAt"] = at.AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }));
    }

    private void Read(int r, string client, DateTimeOffset at, string dataset, int rows, bool deny, string? jurisdiction = null, string? subprocessor = null)
    {
        var decision = Decision(r, client, at, dataset, deny, jurisdiction, subprocessor);
        if (deny)
        {
            return;
        }

        Token(r, client, at);
        _events.Add((at.AddSeconds(1), "gateway.egress/v1", new JsonObject
        {
            ["decisionId"] = decision,
            ["tokenId"] = $"tok_{seed}_{_sequence}",
            ["recipient"] = Recipient(r),
            ["dataset"] = dataset,
            ["format"] = "csv",
            ["rows"] = rows,
            ["bytesWritten"] = rows * 120L,
            ["sha256"] = "sha256:00",
            ["completed"] = true,
        }));
    }

    private string Decision(int r, string client, DateTimeOffset at, string dataset, bool deny, string? jurisdiction, string? subprocessor)
    {
        var id = $"dec_{seed}_{++_sequence}";
        var request = new JsonObject { ["recipient"] = Recipient(r), ["dataset"] = dataset, ["jurisdiction"] = jurisdiction ?? (r % 2 == 0 ? "NL" : "DE") };
        if ((subprocessor ?? (r == 0 ? "cloud-eu" : null)) is { } s)
        {
            request["subprocessor"] = s;
        }

        _events.Add((at, "gateway.decision/v1", new JsonObject
        {
            ["decisionId"] = id,
            ["recipient"] = Recipient(r),
            ["clientId"] = client,
            ["dataset"] = dataset,
            ["purpose"] = "research",
            ["jurisdiction"] = request["jurisdiction"]!.GetValue<string>(),
            ["action"] = "read-rows",
            ["effect"] = deny ? "deny" : "permit",
            ["agreement"] = "study-2026",
            ["reasons"] = new JsonArray(),
            ["record"] = new JsonObject { ["request"] = request },
        }));
        return id;
    }
}
