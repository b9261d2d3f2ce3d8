namespace Concordat.Lineage;

/// <summary>One node of a lineage tree: what it is, its name, its facts and where it came from.</summary>
/// <param name="Kind">What it is: <c>model</c>, <c>egress</c>, <c>dataset-version</c>, or <c>unknown</c> for an input the log does not hold.</param>
/// <param name="Name">Its name: the model, the egress decision id, <c>dataset@version</c>.</param>
/// <param name="Facts">Its facts by name (recipient, purpose, agreement, token, rows, time), in a fixed order.</param>
/// <param name="Children">What it came from.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageTreeNode(string Kind, string Name, IReadOnlyList<KeyValuePair<string, string>> Facts, IReadOnlyList<LineageTreeNode> Children);
