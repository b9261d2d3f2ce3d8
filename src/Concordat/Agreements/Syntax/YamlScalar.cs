using System.Globalization;
using System.Text.RegularExpressions;
using Concordat.Core;

namespace Concordat.Agreements.Syntax;

/// <summary>
/// A scalar with its YAML 1.2 core-schema type: a plain scalar may be null, a boolean, an integer or a float;
/// a quoted or block scalar is always a string.
/// </summary>
internal sealed partial record YamlScalar(string Value, bool IsPlain, SourceSpan Span) : YamlNode(Span)
{
    /// <summary>Gets the core-schema type of the scalar.</summary>
    // Spec: YAML 1.2.2 §10.3.2 (core schema tag resolution).
    public YamlScalarType Type => !IsPlain
        ? YamlScalarType.String
        : Value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => YamlScalarType.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => YamlScalarType.Boolean,
            _ when IntegerPattern().IsMatch(Value) => YamlScalarType.Integer,
            _ when FloatPattern().IsMatch(Value) => YamlScalarType.Float,
            _ => YamlScalarType.String,
        };

    /// <inheritdoc/>
    public override string Describe() => Type switch
    {
        YamlScalarType.Null => "null",
        YamlScalarType.Boolean => "a boolean",
        YamlScalarType.Integer => "an integer",
        YamlScalarType.Float => "a number",
        _ => "a string",
    };

    /// <summary>Reads the scalar as a boolean, when it is one.</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = Value is "true" or "True" or "TRUE";
        return Type == YamlScalarType.Boolean;
    }

    /// <summary>Reads the scalar as a decimal integer in range of <see cref="long"/>, when it is one.</summary>
    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Type == YamlScalarType.Integer && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads the scalar as a finite number (integer or float), when it is one.</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        return Type is YamlScalarType.Integer or YamlScalarType.Float
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    // Invariant: only decimal integers; the core schema's 0o and 0x forms are read as strings and then rejected
    // where a number is expected, so that one number has one spelling in an agreement.
    [GeneratedRegex("^[-+]?[0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
