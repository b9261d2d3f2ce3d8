using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Data.Datasets;

namespace Concordat.Data.RecipientTables;

/// <summary>The schema a recipient declares when it uploads a table: its fields, the one that is the join key, and the columns kept to group by.</summary>
/// <param name="Fields">The fields, in order.</param>
/// <param name="Key">The join key: one of the fields, of type <c>string</c> or <c>integer</c>.</param>
public sealed partial record RecipientTableSchema(IReadOnlyList<DatasetSchemaField> Fields, FieldName Key)
{
    /// <summary>The most fields a table may declare.</summary>
    public const int MaxFields = 64;

    /// <summary>Gets the columns kept, beside the key's pseudonyms, for queries to group by after a join; empty means none.</summary>
    /// <remarks>Each MUST be a declared field other than the key, with one value per key in the upload.</remarks>
    public IReadOnlyList<FieldName> Dimensions { get; init; } = [];

    /// <summary>Reads a declaration: <paramref name="fields"/> as <c>name:type,name:type</c>, the key's name, and the columns kept to group by.</summary>
    /// <param name="fields">The fields, each <c>name:type</c> with a type of the agreement language (<c>string</c>, <c>integer</c>, ...).</param>
    /// <param name="key">The name of the join key.</param>
    /// <param name="schema">The schema, when the declaration is well formed.</param>
    /// <param name="problem">What is wrong, naming the part at fault; empty on success.</param>
    /// <param name="dimensions">The columns to keep for grouping, comma-separated; null or empty for none.</param>
    /// <returns>Whether the declaration is well formed.</returns>
    public static bool TryParse(string? fields, string? key, [NotNullWhen(true)] out RecipientTableSchema? schema, out string problem, string? dimensions = null)
    {
        schema = null;
        if (string.IsNullOrEmpty(fields) || string.IsNullOrEmpty(key))
        {
            problem = "`fields` (`name:type,...`) and `key` (the join key's name) are required";
            return false;
        }

        var list = new List<DatasetSchemaField>();
        foreach (var part in fields.Split(',', StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !FieldNamePattern().IsMatch(pieces[0]) || !AgreementEnumText.TryParse<FieldType>(pieces[1], out var type))
            {
                problem = $"`fields`: `{part}` is not `name:type` with a field name and a type (`string`, `integer`, `decimal`, `boolean`, `date`, `date-time`, `postcode`)";
                return false;
            }

            var name = new FieldName(pieces[0]);
            if (list.Any(f => f.Name == name))
            {
                problem = $"`fields`: `{name}` is declared twice";
                return false;
            }

            list.Add(new DatasetSchemaField(name, type));
        }

        if (list.Count > MaxFields)
        {
            problem = $"`fields`: more than {MaxFields} fields";
            return false;
        }

        var keyField = list.FirstOrDefault(f => f.Name.Value == key);
        if (keyField is null || keyField.Type is not (FieldType.String or FieldType.Integer))
        {
            problem = $"`key`: `{key}` is not a declared field of type `string` or `integer`";
            return false;
        }

        var kept = new List<FieldName>();
        foreach (var part in (dimensions ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (list.FirstOrDefault(f => f.Name.Value == part) is not { } field || field.Name == keyField.Name || kept.Contains(field.Name))
            {
                problem = $"`dimensions`: `{part}` is not a declared field other than the key, listed once";
                return false;
            }

            kept.Add(field.Name);
        }

        schema = new RecipientTableSchema(list, keyField.Name) { Dimensions = kept };
        problem = string.Empty;
        return true;
    }

    // The agreement language's field names (docs/formats/agreement.md), at most 128 characters.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNamePattern();
}
