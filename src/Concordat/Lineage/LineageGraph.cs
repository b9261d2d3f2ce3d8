using System.Globalization;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Lineage;

/// <summary>
/// The lineage graph: dataset versions, egress, tokens, recipients, agreements (by digest) and models, built from the
/// log's entries (<see cref="LineageGraphBuilder"/>) and models' attestations, and the questions asked of it: what a
/// dataset version touches (<see cref="Impact(string, int, IReadOnlyList{Agreement}, string?)"/>) and where a model or dataset version came from (<see cref="Upstream(string, string?)"/>).
/// </summary>
/// <remarks>
/// The graph holds imports, egress, the agreement versions and the models only; decisions, refusals and the rest of the
/// log are read past, so its memory grows with the graph, not with the log.
/// </remarks>
public sealed class LineageGraph
{
    private readonly Dictionary<(string Dataset, int Version), LineageDatasetVersion> _versions;
    private readonly Dictionary<(string Dataset, int Version), List<LineageEgress>> _egressByVersion;
    private readonly Dictionary<string, LineageEgress> _egress;
    private readonly Dictionary<string, LineageAgreement> _agreements;
    private readonly List<LineageModel> _models;

    internal LineageGraph(
        long treeSize,
        Dictionary<(string, int), LineageDatasetVersion> versions,
        Dictionary<string, LineageEgress> egress,
        Dictionary<string, LineageAgreement> agreements,
        List<LineageModel> models)
    {
        TreeSize = treeSize;
        _versions = versions;
        _egress = egress;
        _agreements = agreements;
        _models = models;
        _egressByVersion = [];
        foreach (var item in egress.Values.OrderBy(e => e.LogIndex))
        {
            var key = (item.Dataset, item.Version);
            if (!_egressByVersion.TryGetValue(key, out var list))
            {
                _egressByVersion[key] = list = [];
            }

            list.Add(item);
        }
    }

    /// <summary>Gets the number of log entries the graph was built from.</summary>
    public long TreeSize { get; }

    /// <summary>Gets the stored dataset versions, by dataset then version.</summary>
    public IReadOnlyList<LineageDatasetVersion> DatasetVersions => [.. _versions.Values.OrderBy(v => v.Dataset, StringComparer.Ordinal).ThenBy(v => v.Version)];

    /// <summary>Gets every egress, in log order.</summary>
    public IReadOnlyList<LineageEgress> Egress => [.. _egress.Values.OrderBy(e => e.LogIndex)];

    /// <summary>Gets the models, in the order they were added.</summary>
    public IReadOnlyList<LineageModel> Models => _models;

    /// <summary>Parses <c>dataset@version</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="dataset">The dataset id.</param>
    /// <param name="version">The version number.</param>
    /// <returns>Whether it is of that form, with a version from 1.</returns>
    public static bool TryParseDatasetVersion(string? text, out string dataset, out int version)
    {
        (dataset, version) = (string.Empty, 0);
        var at = text?.LastIndexOf('@') ?? -1;
        if (text is null || at <= 0 || !int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version) || version < 1)
        {
            return false;
        }

        dataset = text[..at];
        return true;
    }

    /// <summary>Answers what a dataset version touches.</summary>
    /// <param name="dataset">The dataset id.</param>
    /// <param name="version">The version.</param>
    /// <param name="agreements">The agreement documents known (matched to the log's by digest) for their contacts and deadlines; may be empty.</param>
    /// <returns>The impact; empty lists when nothing left.</returns>
    public LineageImpact Impact(string dataset, int version, IReadOnlyList<Agreement> agreements) => Impact(dataset, version, agreements, recipient: null);

    /// <summary>Answers what a dataset version touches, as one recipient may see it.</summary>
    /// <param name="dataset">The dataset id.</param>
    /// <param name="version">The version.</param>
    /// <param name="agreements">The agreement documents known (matched to the log's by digest) for their contacts and deadlines; may be empty.</param>
    /// <param name="recipient">The recipient asking, or <see langword="null"/> for the operator, who sees everything.</param>
    /// <returns>
    /// The impact. For a recipient: its own egress, tokens and agreements only, and the models touched through its own
    /// egress (directly or through a model); the dataset version itself only when it received some of it.
    /// </returns>
    public LineageImpact Impact(string dataset, int version, IReadOnlyList<Agreement> agreements, string? recipient)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var egress = _egressByVersion.GetValueOrDefault((dataset, version)) ?? [];

        // Security: a recipient learns nothing of other recipients' egress, nor whether the version exists when it received none of it.
        if (recipient is not null)
        {
            egress = [.. egress.Where(e => e.Recipient == recipient)];
        }

        var byDigest = agreements.ToDictionary(a => AgreementDigest.Compute(a).ToString(), a => a, StringComparer.Ordinal);
        var terms = egress.Select(e => e.AgreementDigest).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(digest => Terms(digest, byDigest.GetValueOrDefault(digest)))
            .ToList();

        // Invariant: a model is touched through an input that is touched; models trained on models follow to a fixpoint.
        var touched = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in egress)
        {
            touched[item.DecisionId] = item.DecisionId;
        }

        var name = $"{dataset}@{version}";
        if (recipient is null)
        {
            touched[name] = name;
        }

        var models = new List<LineageTouchedModel>();
        var checkpointOwners = CheckpointOwners();
        bool grew;
        do
        {
            grew = false;
            foreach (var model in _models.Where(m => !touched.ContainsKey(m.Name)))
            {
                var via = model.Inputs.Select(i => Resolve(i, checkpointOwners)).FirstOrDefault(r => r is not null && touched.ContainsKey(r));
                if (via is not null)
                {
                    models.Add(new LineageTouchedModel(recipient is null ? model : Withhold(model, recipient), via));
                    touched[model.Name] = model.Name;
                    grew = true;
                }
            }
        }
        while (grew);

        return new LineageImpact(
            name,
            recipient is null || egress.Count > 0 ? _versions.GetValueOrDefault((dataset, version)) : null,
            TreeSize,
            egress,
            [.. egress.Select(e => e.Recipient).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. egress.Select(e => e.TokenId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            terms,
            models);
    }

    /// <summary>Answers where a model, an egress or a dataset version came from, as a tree.</summary>
    /// <param name="subject">A model's name, an egress decision id, or <c>dataset@version</c>.</param>
    /// <returns>The tree, or <see langword="null"/> when the graph holds no such model, egress or version.</returns>
    public LineageTreeNode? Upstream(string subject) => Upstream(subject, recipient: null);

    /// <summary>Answers where a model, an egress or a dataset version came from, as a tree, as one recipient may see it.</summary>
    /// <param name="subject">A model's name, an egress decision id, or <c>dataset@version</c>.</param>
    /// <param name="recipient">The recipient asking, or <see langword="null"/> for the operator, who sees everything.</param>
    /// <returns>
    /// The tree, or <see langword="null"/> when the graph holds no such subject or the recipient may not see it. A
    /// recipient sees its own egress, the dataset versions it received, and the models trained through its own egress;
    /// another recipient's egress in a model's inputs is shown as <c>withheld</c>, without its decision id.
    /// </returns>
    public LineageTreeNode? Upstream(string subject, string? recipient)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var owners = CheckpointOwners();
        if (_models.FirstOrDefault(m => m.Name == subject) is { } model)
        {
            return recipient is null || IsTouchedBy(model, recipient, owners, []) ? ModelNode(model, owners, [], recipient) : null;
        }

        if (_egress.TryGetValue(subject, out var egress))
        {
            return recipient is null || egress.Recipient == recipient ? EgressNode(egress, recipient) : null;
        }

        return TryParseDatasetVersion(subject, out var dataset, out var version) && _versions.TryGetValue((dataset, version), out var stored)
            && (recipient is null || (_egressByVersion.GetValueOrDefault((dataset, version)) ?? []).Any(e => e.Recipient == recipient))
            ? VersionNode(stored)
            : null;
    }

    // Security: a recipient sees a model's inputs that are its own egress or not egress at all; another's egress is withheld.
    private LineageModel Withhold(LineageModel model, string recipient) => model with
    {
        Inputs = [.. model.Inputs.Select(i => i.Kind != "egress" || (_egress.TryGetValue(i.Reference, out var egress) && egress.Recipient == recipient) ? i : new LineageInput("withheld", string.Empty))],
    };

    // Whether a model was trained, directly or through models, on an egress the recipient received.
    private bool IsTouchedBy(LineageModel model, string recipient, Dictionary<string, LineageModel> owners, HashSet<string> path)
    {
        path.Add(model.Name);
        var touched = model.Inputs.Any(input => input.Kind switch
        {
            "egress" => _egress.TryGetValue(input.Reference, out var egress) && egress.Recipient == recipient,
            "model" => owners.TryGetValue(input.Reference, out var parent) && !path.Contains(parent.Name) && IsTouchedBy(parent, recipient, owners, path),
            _ => false,
        });
        path.Remove(model.Name);
        return touched;
    }

    private LineageAgreementTerms Terms(string digest, Agreement? document)
    {
        var known = _agreements.GetValueOrDefault(digest) ?? (document is null ? new LineageAgreement("unknown", 0, digest) : new LineageAgreement(document.Id.Value, document.Version, digest));
        var contacts = document?.Parties.Where(p => p.BreachContact is not null).Select(p => $"{p.Id.Value}: {p.BreachContact}").ToList() ?? [];
        return new LineageAgreementTerms(known, document?.BreachNotificationHours, contacts);
    }

    private Dictionary<string, LineageModel> CheckpointOwners()
    {
        var owners = new Dictionary<string, LineageModel>(StringComparer.Ordinal);
        foreach (var model in _models)
        {
            foreach (var checkpoint in model.Checkpoints)
            {
                owners.TryAdd(checkpoint.Sha256, model);
            }
        }

        return owners;
    }

    // An input's key in the graph: the egress decision id, `dataset@version`, or the name of the model whose checkpoint it is.
    private static string? Resolve(LineageInput input, Dictionary<string, LineageModel> checkpointOwners) => input.Kind switch
    {
        "model" => checkpointOwners.GetValueOrDefault(input.Reference)?.Name,
        _ => input.Reference,
    };

    private LineageTreeNode ModelNode(LineageModel model, Dictionary<string, LineageModel> owners, HashSet<string> path, string? recipient)
    {
        path.Add(model.Name);
        var children = new List<LineageTreeNode>();
        foreach (var input in model.Inputs)
        {
            children.Add(input.Kind switch
            {
                "egress" when _egress.TryGetValue(input.Reference, out var egress) => EgressNode(egress, recipient),
                "dataset-version" when TryParseDatasetVersion(input.Reference, out var d, out var v) && _versions.TryGetValue((d, v), out var stored) => VersionNode(stored),

                // Invariant: a cycle of models (impossible with honest digests) is cut rather than followed forever.
                "model" when owners.TryGetValue(input.Reference, out var parent) && !path.Contains(parent.Name) => ModelNode(parent, owners, path, recipient),
                _ => new LineageTreeNode("unknown", input.Reference, [Fact("kind", input.Kind), Fact("note", "not in the log or the models given")], []),
            });
        }

        path.Remove(model.Name);
        List<KeyValuePair<string, string>> facts = [Fact("trainer", model.Trainer), Fact("purpose", model.Purpose), Fact("checkpoints", model.Checkpoints.Count.ToString(CultureInfo.InvariantCulture))];
        if (model.Ip is { } ip)
        {
            facts.Add(Fact("ip", ip));
            facts.Add(Fact("owners", string.Join(", ", model.Owners)));
        }

        return new LineageTreeNode("model", model.Name, facts, children);
    }

    private LineageTreeNode EgressNode(LineageEgress egress, string? recipient)
    {
        // Security: another recipient's egress is neither named nor described to a recipient.
        if (recipient is not null && egress.Recipient != recipient)
        {
            return new LineageTreeNode("withheld", "egress", [Fact("note", "another recipient's egress")], []);
        }

        var facts = new List<KeyValuePair<string, string>>
        {
            Fact("recipient", egress.Recipient),
            Fact("token", egress.TokenId),
            Fact("purpose", egress.Purpose ?? "unknown"),
            Fact("agreement", egress.AgreementDigest is { } digest && _agreements.TryGetValue(digest, out var a) ? $"{a.Id} v{a.Version} ({digest})" : egress.AgreementDigest ?? "unknown"),
            Fact("rows", egress.Rows.ToString(CultureInfo.InvariantCulture)),
            Fact("at", Rfc3339.Format(egress.At)),
        };
        List<LineageTreeNode> children = _versions.TryGetValue((egress.Dataset, egress.Version), out var stored) ? [VersionNode(stored)] : [];
        return new LineageTreeNode("egress", egress.DecisionId, facts, children);
    }

    private static LineageTreeNode VersionNode(LineageDatasetVersion version) =>
        new("dataset-version", version.Name, [Fact("manifest", version.Manifest), Fact("rows", version.Rows.ToString(CultureInfo.InvariantCulture)), Fact("importedAt", Rfc3339.Format(version.ImportedAt))], []);

    private static KeyValuePair<string, string> Fact(string name, string value) => new(name, value);
}
