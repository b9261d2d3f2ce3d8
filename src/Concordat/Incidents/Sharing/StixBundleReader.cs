using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Concordat.Core;

namespace Concordat.Incidents.Sharing;

/// <summary>
/// Reads the indicators of a STIX 2.1 bundle (any producer's): each one's identities and token ids, from the
/// equality comparisons of its STIX pattern. Other objects are counted and left alone.
/// </summary>
/// <remarks>
/// The reader does not evaluate patterns: it takes the <c>=</c> comparisons on the object paths it knows
/// (<see cref="StixIndicator"/>), wherever they stand in the pattern, so that an indicator naming an identity is never
/// missed; a bundle whose indicators name none of this gateway's identities or tokens changes nothing.
/// </remarks>
public static partial class StixBundleReader
{
    /// <summary>Reads a bundle, or one STIX object shared alone.</summary>
    /// <param name="bundle">The bundle (or object), parsed.</param>
    /// <param name="indicators">Its indicators with a STIX pattern, in bundle order.</param>
    /// <param name="objects">How many objects the bundle holds.</param>
    /// <param name="error">Why the value is not a STIX bundle, when it is not.</param>
    /// <returns><see langword="true"/> when the value is a bundle.</returns>
    public static bool TryRead(JsonElement bundle, out IReadOnlyList<StixIndicator> indicators, out int objects, [NotNullWhen(false)] out string? error)
    {
        indicators = [];
        objects = 0;
        if (bundle.ValueKind != JsonValueKind.Object || JsonMembers.Text(bundle, "type") is not { } kind)
        {
            error = "the JSON is not a STIX bundle or object: it needs a `type`";
            return false;
        }

        if (JsonMembers.Text(bundle, "id") is not { } id || !id.StartsWith(kind + "--", StringComparison.Ordinal))
        {
            error = $"the {(kind == "bundle" ? "bundle" : "object")} has no `id` of the form `{kind}--UUID`";
            return false;
        }

        // Spec: STIX 2.1 §8: a producer may share one object alone, outside a bundle; it reads as a bundle of one.
        IEnumerable<JsonElement> items;
        if (kind != "bundle")
        {
            items = [bundle];
        }
        else if (!bundle.TryGetProperty("objects", out var list))
        {
            items = [];
        }
        else if (list.ValueKind != JsonValueKind.Array)
        {
            error = "the bundle's `objects` is not an array";
            return false;
        }
        else
        {
            items = list.EnumerateArray();
        }

        var read = new List<StixIndicator>();
        foreach (var item in items)
        {
            objects++;
            if (item.ValueKind != JsonValueKind.Object || JsonMembers.Text(item, "type") is not { } type || JsonMembers.Text(item, "id") is not { } objectId)
            {
                error = $"object {objects} of the bundle has no `type` or `id`";
                return false;
            }

            if (type == "indicator" && JsonMembers.Text(item, "pattern_type") is null or "stix" && JsonMembers.Text(item, "pattern") is { } pattern)
            {
                var clients = new List<string>();
                var tokens = new List<string>();
                foreach (Match match in Comparison().Matches(pattern))
                {
                    var value = Unquote(match.Groups["value"].Value);
                    (match.Groups["path"].Value.StartsWith("user-account", StringComparison.Ordinal) ? clients : tokens).Add(value);
                }

                var labels = item.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Array
                    ? l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                    : [];
                read.Add(new StixIndicator(objectId, JsonMembers.Text(item, "name"), [.. clients.Distinct(StringComparer.Ordinal)], [.. tokens.Distinct(StringComparer.Ordinal)], labels));
            }
        }

        indicators = read;
        error = null;
        return true;
    }

    // Spec: STIX 2.1 §9.7: a string literal is single-quoted, with `\'` and `\\` the only escapes.
    private static string Unquote(string quoted)
    {
        var text = new StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length)
            {
                i++;
            }

            text.Append(quoted[i]);
        }

        return text.ToString();
    }

    [GeneratedRegex(@"(?<path>user-account:user_id|user-account:account_login|x-concordat-token:token_id)\s*=\s*'(?<value>(?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Comparison();
}
