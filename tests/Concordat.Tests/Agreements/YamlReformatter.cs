using System.Text;
using Concordat.Agreements.Syntax;

namespace Concordat.Tests.Agreements;

/// <summary>
/// Writes a YAML tree back out in a random but meaning-preserving layout: block or flow style, plain, single- or
/// double-quoted strings, shuffled keys and list items, and comments.
/// </summary>
internal sealed class YamlReformatter(Random random)
{
    public string Write(YamlNode root)
    {
        var builder = new StringBuilder();
        if (random.Next(3) == 0)
        {
            builder.Append("# reformatted\n");
        }

        if (root is YamlMapping mapping && random.Next(4) != 0)
        {
            WriteBlockMapping(builder, mapping, indent: 0);
        }
        else
        {
            builder.Append(Flow(root)).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Changes one scalar value or removes one list item, chosen at random; returns null when there is none.</summary>
    public YamlNode Mutate(YamlNode root)
    {
        var targets = new List<YamlNode>();
        Collect(root, targets, isKey: false);
        var target = targets[random.Next(targets.Count)];
        return Replace(root, target);
    }

    private YamlNode Replace(YamlNode node, YamlNode target) => node switch
    {
        _ when ReferenceEquals(node, target) && node is YamlScalar scalar => Changed(scalar),
        YamlMapping m => m with { Entries = [.. m.Entries.Select(e => e with { Value = e.Value is null ? null : Replace(e.Value, target) })] },
        YamlSequence s when s.Items.Contains(target) && s.Items.Count > 1 && random.Next(2) == 0 => s with { Items = [.. s.Items.Where(i => !ReferenceEquals(i, target))] },
        YamlSequence s => s with { Items = [.. s.Items.Select(i => Replace(i, target))] },
        _ => node,
    };

    private static YamlScalar Changed(YamlScalar scalar) => scalar.Type switch
    {
        YamlScalarType.Integer when scalar.TryGetInteger(out var i) => scalar with { Value = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        YamlScalarType.Float when scalar.TryGetNumber(out var d) => scalar with { Value = (d * 2 + 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture) },
        YamlScalarType.Boolean => scalar with { Value = scalar.TryGetBoolean(out var b) && b ? "false" : "true" },
        _ => scalar with { Value = scalar.Value + "x" },
    };

    private static void Collect(YamlNode node, List<YamlNode> targets, bool isKey)
    {
        switch (node)
        {
            case YamlScalar when !isKey:
                targets.Add(node);
                break;
            case YamlMapping m:
                foreach (var entry in m.Entries.Where(e => e.Key.Value != "concordat"))
                {
                    if (entry.Value is not null)
                    {
                        Collect(entry.Value, targets, isKey: false);
                    }
                }

                break;
            case YamlSequence s:
                foreach (var item in s.Items)
                {
                    Collect(item, targets, isKey: false);
                }

                break;
        }
    }

    private void WriteBlockMapping(StringBuilder builder, YamlMapping mapping, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var entry in Shuffle(mapping.Entries))
        {
            if (random.Next(6) == 0)
            {
                builder.Append(pad).Append("# a comment: with [brackets], {braces} and 'quotes'\n");
            }

            builder.Append(pad).Append(Scalar(entry.Key, inFlow: false)).Append(':');
            WriteBlockValue(builder, entry.Value!, indent);
        }
    }

    private void WriteBlockValue(StringBuilder builder, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlMapping m when m.Entries.Count > 0 && random.Next(2) == 0:
                builder.Append(random.Next(4) == 0 ? "   # trailing comment\n" : "\n");
                WriteBlockMapping(builder, m, indent + 2);
                break;
            case YamlSequence s when s.Items.Count > 0 && random.Next(2) == 0:
                builder.Append('\n');
                foreach (var item in Shuffle(s.Items))
                {
                    builder.Append(new string(' ', indent + 2)).Append('-');
                    if (item is YamlMapping im && im.Entries.Count > 0 && random.Next(2) == 0)
                    {
                        builder.Append('\n');
                        WriteBlockMapping(builder, im, indent + 4);
                    }
                    else
                    {
                        builder.Append(' ').Append(Flow(item)).Append('\n');
                    }
                }

                break;
            default:
                builder.Append(' ').Append(value is YamlScalar sc ? Scalar(sc, inFlow: false) : Flow(value)).Append('\n');
                break;
        }
    }

    private string Flow(YamlNode node) => node switch
    {
        YamlScalar s => Scalar(s, inFlow: true),
        YamlSequence s => "[" + string.Join(random.Next(2) == 0 ? ", " : ",", Shuffle(s.Items).Select(Flow)) + "]",
        YamlMapping m => "{" + string.Join(", ", Shuffle(m.Entries).Select(e => Scalar(e.Key, inFlow: true) + ": " + Flow(e.Value!))) + "}",
        _ => throw new InvalidOperationException(),
    };

    private string Scalar(YamlScalar scalar, bool inFlow)
    {
        if (scalar.Type != YamlScalarType.String)
        {
            return scalar.Value;
        }

        var plainSafe = scalar.IsPlain && !(inFlow && scalar.Value.IndexOfAny([',', '[', ']', '{', '}']) >= 0);
        return (plainSafe ? random.Next(3) : 1 + random.Next(2)) switch
        {
            0 => scalar.Value,
            1 => "'" + scalar.Value.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => "\"" + scalar.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"",
        };
    }

    private List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
