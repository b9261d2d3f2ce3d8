using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Evidence;

namespace Concordat.Compliance;

/// <summary>
/// Reads compliance checklists (docs/formats/compliance-checklist.md) and holds the built-in ones: EU AI Act, GDPR,
/// UK GDPR, US, finance model risk management and HIPAA, embedded in this library as versioned YAML.
/// </summary>
public static partial class ComplianceChecklists
{
    /// <summary>The fewest items a checklist holds.</summary>
    public const int MinimumItems = 10;

    private const string ResourcePrefix = "Concordat.Compliance.Checklists.";

    private static readonly string[] s_keys = ["format", "regime", "title", "version", "appliesTo", "items"];
    private static readonly string[] s_itemKeys = ["id", "obligation", "source", "artifacts", "evidence", "required"];
    private static readonly Lazy<IReadOnlyList<ComplianceChecklist>> s_builtIn = new(LoadBuiltIn);

    /// <summary>Gets the built-in checklists, ordered by regime id.</summary>
    /// <exception cref="InvalidOperationException">A built-in checklist does not read (a bug: a test reads every one).</exception>
    public static IReadOnlyList<ComplianceChecklist> BuiltIn => s_builtIn.Value;

    /// <summary>Gets the names of the embedded checklist files, such as <c>gdpr.yaml</c>.</summary>
    public static IReadOnlyList<string> BuiltInFiles { get; } = [.. typeof(ComplianceChecklists).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)];

    /// <summary>Reads the text of a built-in checklist file.</summary>
    /// <param name="file">A name of <see cref="BuiltInFiles"/>.</param>
    /// <returns>The YAML text.</returns>
    /// <exception cref="ArgumentException"><paramref name="file"/> is not a built-in checklist.</exception>
    public static string ReadBuiltInText(string file)
    {
        using var stream = typeof(ComplianceChecklists).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new ArgumentException($"`{file}` is not a built-in checklist", nameof(file));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The checklists of <paramref name="checklists"/> that apply to the agreement, by its <c>compliance</c> scope.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <param name="checklists">The checklists to choose from, such as <see cref="BuiltIn"/>.</param>
    /// <returns>The applicable ones, in the given order.</returns>
    public static IReadOnlyList<ComplianceChecklist> Applicable(Agreement agreement, IEnumerable<ComplianceChecklist> checklists)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(checklists);
        return [.. checklists.Where(c => c.AppliesTo(agreement.Compliance))];
    }

    /// <summary>Reads one checklist, reporting every problem at once.</summary>
    /// <param name="yaml">The checklist's YAML text.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <param name="checklist">The checklist, when it has no error.</param>
    /// <param name="diagnostics">Every problem (EVD8101); empty when it reads.</param>
    /// <returns><see langword="true"/> when the checklist reads.</returns>
    public static bool TryRead(string yaml, string file, [NotNullWhen(true)] out ComplianceChecklist? checklist, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        checklist = null;
        if (ChecklistYaml.ToJson(yaml, file, problems) is not { } json)
        {
            return false;
        }

        var reader = new Reader(file, problems);
        checklist = reader.Checklist(json);
        if (problems.Any(p => p.IsError))
        {
            checklist = null;
            return false;
        }

        return checklist is not null;
    }

    /// <summary>Names a log evidence kind as checklists write it, such as <c>log-verifies</c>.</summary>
    /// <param name="evidence">The kind.</param>
    /// <returns>Its kebab-case name.</returns>
    public static string NameOf(LogEvidence evidence) => KebabCase().Replace(evidence.ToString(), "-$1").ToLowerInvariant();

    private static IReadOnlyList<ComplianceChecklist> LoadBuiltIn()
    {
        var checklists = new List<ComplianceChecklist>();
        foreach (var file in BuiltInFiles)
        {
            if (!TryRead(ReadBuiltInText(file), file, out var checklist, out var diagnostics))
            {
                throw new InvalidOperationException($"built-in checklist `{file}` does not read: {string.Join("; ", diagnostics.Select(d => d.Message))}");
            }

            checklists.Add(checklist);
        }

        return [.. checklists.OrderBy(c => c.Regime, StringComparer.Ordinal)];
    }

    [GeneratedRegex("(?<!^)([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex KebabCase();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2,3}(-[A-Z0-9]{1,3})?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex JurisdictionPattern();

    // Invariant: the reader accepts exactly what docs/formats/compliance-checklist.schema.json accepts, and also refuses
    // a repeated item id; a test runs both over every built-in checklist and over broken ones.
    private sealed class Reader(string file, List<Diagnostic> problems)
    {
        public ComplianceChecklist? Checklist(JsonNode? json)
        {
            if (json is not JsonObject root)
            {
                Fail("the checklist is not a mapping");
                return null;
            }

            Keys(root, s_keys, "the checklist");
            if (Integer(root, "format", "the checklist") is { } format && format != 1)
            {
                Fail($"`format` is {format}; this reader knows format 1");
            }

            var regime = Id(root, "regime", "the checklist");
            var title = Text(root, "title", "the checklist");
            var version = Integer(root, "version", "the checklist");
            if (version is < 1)
            {
                Fail("`version` is less than 1");
            }

            var (jurisdictions, sectors) = AppliesTo(root["appliesTo"]);
            var items = new List<ComplianceItem>();
            if (root["items"] is not JsonArray array)
            {
                Fail("`items` is missing or not a sequence");
            }
            else
            {
                if (array.Count < MinimumItems)
                {
                    Fail($"`items` holds {array.Count} items; a checklist holds at least {MinimumItems}");
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (Item(array[i], i) is { } item)
                    {
                        items.Add(item);
                    }
                }

                foreach (var repeated in items.GroupBy(i => i.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    Fail($"item id `{repeated.Key}` is used {repeated.Count()} times");
                }
            }

            return regime is null || title is null || version is null
                ? null
                : new ComplianceChecklist(regime, title, (int)version, jurisdictions, sectors, items);
        }

        private (IReadOnlyList<Jurisdiction> Jurisdictions, IReadOnlyList<string> Sectors) AppliesTo(JsonNode? node)
        {
            if (node is not JsonObject applies || applies.Count == 0)
            {
                Fail("`appliesTo` is missing, not a mapping, or empty: give `jurisdictions`, `sectors` or both");
                return ([], []);
            }

            Keys(applies, ["jurisdictions", "sectors"], "`appliesTo`");
            var jurisdictions = List(applies, "jurisdictions", "`appliesTo`", JurisdictionPattern(), "an ISO 3166 code or a group such as `EU`");
            var sectors = List(applies, "sectors", "`appliesTo`", IdPattern(), "a lowercase id");
            return ([.. jurisdictions.Select(j => new Jurisdiction(j))], sectors);
        }

        private ComplianceItem? Item(JsonNode? node, int index)
        {
            var where = $"item {index}";
            if (node is not JsonObject item)
            {
                Fail($"{where} is not a mapping");
                return null;
            }

            var id = Id(item, "id", where);
            where = id is null ? where : $"item `{id}`";
            Keys(item, s_itemKeys, where);
            var obligation = Text(item, "obligation", where);
            var source = Text(item, "source", where);
            var artifacts = List(item, "artifacts", where, IdPattern(), "a lowercase id");
            LogEvidence? evidence = null;
            if (item["evidence"] is { } evidenceNode)
            {
                var name = evidenceNode is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
                evidence = Enum.GetValues<LogEvidence>().Select(e => (LogEvidence?)e).FirstOrDefault(e => NameOf(e!.Value) == name);
                if (evidence is null)
                {
                    Fail($"{where}: `evidence` is not one of {string.Join(", ", Enum.GetValues<LogEvidence>().Select(e => $"`{NameOf(e)}`"))}");
                }
            }

            if (!item.ContainsKey("artifacts") && !item.ContainsKey("evidence"))
            {
                Fail($"{where} has neither `artifacts` nor `evidence`: say what satisfies it");
            }

            var required = true;
            if (item["required"] is { } requiredNode && !(requiredNode is JsonValue flag && flag.TryGetValue(out required)))
            {
                Fail($"{where}: `required` is not a boolean");
            }

            return id is null || obligation is null || source is null ? null : new ComplianceItem(id, obligation, source, artifacts, evidence, required);
        }

        private void Keys(JsonObject node, string[] known, string where)
        {
            foreach (var key in node.Select(p => p.Key).Where(k => !known.Contains(k, StringComparer.Ordinal)))
            {
                Fail($"{where}: unknown key `{key}`");
            }
        }

        private string? Text(JsonObject node, string key, string where)
        {
            if (node[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
            {
                return text;
            }

            Fail($"{where}: `{key}` is missing, empty or not a string");
            return null;
        }

        private string? Id(JsonObject node, string key, string where)
        {
            var text = Text(node, key, where);
            if (text is not null && !IdPattern().IsMatch(text))
            {
                Fail($"{where}: `{key}` `{text}` is not a lowercase id (letters, digits, single hyphens)");
                return null;
            }

            return text;
        }

        private long? Integer(JsonObject node, string key, string where)
        {
            if (node[key] is JsonValue value && value.TryGetValue<long>(out var number))
            {
                return number;
            }

            Fail($"{where}: `{key}` is missing or not an integer");
            return null;
        }

        private List<string> List(JsonObject node, string key, string where, Regex pattern, string shape)
        {
            if (!node.ContainsKey(key))
            {
                return [];
            }

            if (node[key] is not JsonArray array || array.Count == 0)
            {
                Fail($"{where}: `{key}` is not a non-empty sequence");
                return [];
            }

            var values = new List<string>();
            foreach (var element in array)
            {
                if (element is JsonValue value && value.TryGetValue<string>(out var text) && pattern.IsMatch(text))
                {
                    if (values.Contains(text, StringComparer.Ordinal))
                    {
                        Fail($"{where}: `{key}` lists `{text}` twice");
                    }

                    values.Add(text);
                }
                else
                {
                    Fail($"{where}: `{key}` holds `{element?.ToJsonString()}`, which is not {shape}");
                }
            }

            return values;
        }

        private void Fail(string message) => problems.Add(EvidenceErrorCodes.ChecklistMalformed.Error($"`{file}`: {message}"));
    }
}
