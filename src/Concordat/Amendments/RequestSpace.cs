using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// One request of each class that two versions of an agreement can tell apart, so that deciding these requests with
/// both versions decides every request.
/// </summary>
/// <remarks>
/// Why this is complete: the engine compares a request's recipient, dataset, purpose, subprocessor and jurisdiction
/// only for equality with (or membership in) values the agreements name, and its time only against instants they
/// name. So requests that agree on every such comparison are decided alike, and one representative of each class
/// suffices: every named value plus one value named nowhere; for jurisdictions, one unnamed member of each
/// combination of groups; for time, every named instant and one instant inside each interval between them.
/// Recipient and dataset pairs that no grant of either version covers are left out: both versions deny them.
/// </remarks>
internal sealed class RequestSpace
{
    /// <summary>The most requests a diff decides; beyond it the diff is refused rather than sampled.</summary>
    public const long MaxRequests = 20_000_000;

    private readonly List<(PartyId Recipient, DatasetId Dataset)> _pairs;
    private readonly PurposeId[] _purposes;
    private readonly Jurisdiction[] _jurisdictions;
    private readonly PartyId?[] _subprocessors;
    private readonly IdentityRole?[] _roles;
    private readonly DateTimeOffset[] _times;

    public RequestSpace(Agreement before, Agreement after)
    {
        Agreement[] both = [before, after];
        var parties = both.SelectMany(a => a.Parties.Select(p => p.Id.Value)).ToHashSet(StringComparer.Ordinal);
        var texts = both.SelectMany(Texts).ToList();
        var tokens = texts.SelectMany(Tokens).ToHashSet(StringComparer.Ordinal);

        _pairs = [.. both.SelectMany(Pairs).Distinct()];
        _purposes =
        [
            .. both.SelectMany(a => a.Purposes.Select(p => p.Id).Concat(a.Grants.SelectMany(g => g.Purposes)).Concat(a.Prohibitions.SelectMany(p => p.Purposes)))
                .Distinct().OrderBy(p => p.Value, StringComparer.Ordinal),
            new PurposeId(Unnamed("purpose", tokens)),
        ];
        _jurisdictions = [.. Jurisdictions(tokens)];
        var subprocessors = texts.Any(t => t.Contains("request.subprocessor", StringComparison.Ordinal))
            ? parties
            : both.SelectMany(a => a.Grants.SelectMany(g => g.Subprocessors.Select(s => s.Value))).Concat(parties.Where(tokens.Contains)).ToHashSet(StringComparer.Ordinal);
        if (parties.Except(subprocessors).Order(StringComparer.Ordinal).FirstOrDefault() is { } unnamedParty)
        {
            subprocessors.Add(unnamedParty);
        }

        _subprocessors = [null, .. subprocessors.Order(StringComparer.Ordinal).Select(s => (PartyId?)new PartyId(s)), new PartyId(Unnamed("party", tokens))];
        _roles = [null, .. Enum.GetValues<IdentityRole>().Select(r => (IdentityRole?)r)];
        _times = [.. Times(both, tokens)];
    }

    /// <summary>Gets how many requests <see cref="Requests"/> yields.</summary>
    public long Count => (long)_pairs.Count * _purposes.Length * Enum.GetValues<DataAction>().Length * _jurisdictions.Length * _subprocessors.Length * _roles.Length * _times.Length;

    /// <summary>Gets the representative requests.</summary>
    public IEnumerable<DecisionRequest> Requests()
    {
        var actions = Enum.GetValues<DataAction>();
        foreach (var (recipient, dataset) in _pairs)
        {
            foreach (var purpose in _purposes)
            {
                foreach (var action in actions)
                {
                    foreach (var jurisdiction in _jurisdictions)
                    {
                        foreach (var subprocessor in _subprocessors)
                        {
                            foreach (var role in _roles)
                            {
                                foreach (var time in _times)
                                {
                                    yield return new DecisionRequest(recipient, action, dataset, purpose, jurisdiction, subprocessor, time, role);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The recipient and dataset pairs a grant of <paramref name="agreement"/> covers, directly or through groups and collections.</summary>
    private static IEnumerable<(PartyId, DatasetId)> Pairs(Agreement agreement) =>
        agreement.Grants.SelectMany(grant =>
        {
            var recipients = ClauseScope.Parties(agreement, [grant.Recipient], grant.Groups);
            var datasets = ClauseScope.Datasets(agreement, grant.Datasets, grant.Collections).ToList();
            return recipients.SelectMany(r => datasets.Select(d => (r, d)));
        });

    /// <summary>Every text of an agreement that can name a value a request is compared with: conditions and attribute values.</summary>
    private static IEnumerable<string> Texts(Agreement agreement) =>
        agreement.Grants.Select(g => g.When?.Text)
            .Concat(agreement.Prohibitions.SelectMany(p => new[] { p.When?.Text, p.Unless?.Text }))
            .Concat(agreement.Parties.SelectMany(p => p.Attributes.SelectMany(a => a.Values)))
            .Concat(agreement.Datasets.SelectMany(d => d.Attributes.SelectMany(a => a.Values)))
            .Concat(agreement.Parties.Select(p => p.Jurisdiction.Value))
            .Concat(agreement.Datasets.SelectMany(d => d.Tags.Residency.Select(j => j.Value).Append(d.Tags.OriginJurisdiction?.Value)))
            .Concat(agreement.Grants.SelectMany(g => g.Jurisdictions.Concat(g.RowRules?.Residency ?? []).Select(j => j.Value)))
            .Concat(agreement.Prohibitions.SelectMany(p => p.Jurisdictions.Select(j => j.Value)))
            .OfType<string>();

    private static IEnumerable<string> Tokens(string text) =>
        text.Split([' ', '(', ')', '[', ']', ',', '\'', '"', '\t', '\n', '<', '>', '=', '!'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A value of <paramref name="kind"/> that no agreement text names.</summary>
    private static string Unnamed(string kind, HashSet<string> tokens)
    {
        var value = $"unnamed-{kind}";
        while (tokens.Contains(value))
        {
            value += "-";
        }

        return value;
    }

    /// <summary>Every named jurisdiction code, one unnamed member of each combination of groups, and one code named nowhere.</summary>
    private static IEnumerable<Jurisdiction> Jurisdictions(HashSet<string> tokens)
    {
        var named = tokens.Where(t => t.Length == 2 && t.All(char.IsAsciiLetterUpper)).ToHashSet(StringComparer.Ordinal);
        var groups = JurisdictionGroups.Groups.Where(tokens.Contains).ToList();
        var codes = new SortedSet<string>(named, StringComparer.Ordinal);
        codes.UnionWith(groups);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in JurisdictionGroups.Groups.SelectMany(JurisdictionGroups.Members).Distinct().Order(StringComparer.Ordinal).Where(m => !named.Contains(m)))
        {
            if (seen.Add(string.Join(",", groups.Where(g => JurisdictionGroups.Members(g).Contains(member)))))
            {
                codes.Add(member);
            }
        }

        // Two-letter codes outside every group, in order: the first one no text names stands for all such codes.
        for (var first = 'A'; first <= 'Z'; first++)
        {
            var code = $"{first}Q";
            if (!codes.Contains(code) && JurisdictionGroups.Groups.All(g => !JurisdictionGroups.Members(g).Contains(code)))
            {
                codes.Add(code);
                break;
            }
        }

        return codes.Select(c => new Jurisdiction(c));
    }

    /// <summary>Every named instant, one instant inside each interval between them, one before the first and one after the last.</summary>
    private static IEnumerable<DateTimeOffset> Times(Agreement[] agreements, HashSet<string> tokens)
    {
        var instants = new SortedSet<DateTimeOffset>();
        foreach (var agreement in agreements)
        {
            instants.Add(agreement.Effective.From);
            if (agreement.Effective.Until is { } until)
            {
                instants.Add(until);
            }

            foreach (var window in agreement.Grants.Select(g => g.Window).OfType<TimeWindow>())
            {
                instants.Add(window.From);
                if (window.Until is { } grantUntil)
                {
                    instants.Add(grantUntil);
                }
            }
        }

        foreach (var token in tokens)
        {
            if (Rfc3339.TryParseUtc(token, out var instant, out _))
            {
                instants.Add(instant);
            }
        }

        var points = new List<DateTimeOffset> { instants.Min.AddTicks(-1) };
        foreach (var instant in instants)
        {
            points.Add(instant);
            points.Add(instant.AddTicks(1));
        }

        return points.Distinct();
    }
}
