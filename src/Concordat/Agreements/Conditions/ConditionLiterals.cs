using System.Globalization;
using System.Text.RegularExpressions;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Agreements.Conditions;

/// <summary>
/// Reads a literal word as a value of a given type: the same spellings the rest of the agreement uses (levels and
/// enum values in kebab case, RFC 3339 UTC instants, decimal integers, jurisdiction codes).
/// </summary>
internal static partial class ConditionLiterals
{
    public static bool TryRead(string text, ValueType type, out ConditionValue value, out string problem)
    {
        value = new ConditionValue(text);
        problem = string.Empty;
        switch (type.Kind)
        {
            case ValueKind.Boolean:
                if (text is "true" or "false")
                {
                    value = ConditionValue.Of(text == "true");
                    return true;
                }

                problem = $"`{text}` is not `true` or `false`";
                return false;
            case ValueKind.Integer:
                if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    value = new ConditionValue(integer.ToString(CultureInfo.InvariantCulture), integer);
                    return true;
                }

                problem = $"`{text}` is not an integer";
                return false;
            case ValueKind.Instant:
                if (Rfc3339.TryParseUtc(text, out var instant, out _))
                {
                    value = new ConditionValue(Rfc3339.Format(instant), instant.UtcTicks);
                    return true;
                }

                problem = $"`{text}` is not an instant: write RFC 3339 in UTC, such as `2026-01-01T00:00:00Z`";
                return false;
            case ValueKind.Ordered:
                var levels = type.Levels ?? [];
                var index = levels.ToList().IndexOf(text);
                if (index >= 0)
                {
                    value = new ConditionValue(text, index);
                    return true;
                }

                problem = $"`{text}` is not a level of `{type.Ordering}`: use one of {string.Join(", ", levels.Select(l => $"`{l}`"))}";
                return false;
            case ValueKind.Jurisdiction or ValueKind.JurisdictionSet:
                if (Reading.Binder.JurisdictionPattern().IsMatch(text))
                {
                    return true;
                }

                problem = $"`{text}` is not a jurisdiction: write an ISO 3166-1 alpha-2 code (`DE`), an ISO 3166-2 subdivision (`US-CA`), `EU` or `EEA`";
                return false;
            case ValueKind.Action:
                if (AgreementEnumText.TryParse<DataAction>(text, out _))
                {
                    return true;
                }

                problem = $"`{text}` is not an action: use one of {string.Join(", ", AgreementEnumText.Names<DataAction>().Select(n => $"`{n}`"))}";
                return false;
            case ValueKind.Role:
                if (AgreementEnumText.TryParse<IdentityRole>(text, out _))
                {
                    return true;
                }

                problem = $"`{text}` is not a role: use one of {string.Join(", ", AgreementEnumText.Names<IdentityRole>().Select(n => $"`{n}`"))}";
                return false;
            default:
                if (text.Length > 0)
                {
                    return true;
                }

                problem = "the value must not be empty";
                return false;
        }
    }

    [GeneratedRegex("^[-+]?[0-9]{1,18}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

}
