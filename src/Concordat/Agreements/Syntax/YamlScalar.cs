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
            _ when IntegerPattern().IsMatch(Value) || OctalOrHexPattern().IsMatch(Value) => YamlScalarType.Integer,
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

    /// <summary>
    /// Gets a value indicating whether the scalar is an integer the core schema writes in octal (<c>0o17</c>) or
    /// hexadecimal (<c>0x1F</c>): an integer, which an agreement refuses wherever it stands.
    /// </summary>
    public bool IsOctalOrHexInteger => IsPlain && OctalOrHexPattern().IsMatch(Value);

    /// <summary>Reads the scalar as a decimal integer in range of <see cref="long"/>, when it is one.</summary>
    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Type == YamlScalarType.Integer && !IsOctalOrHexInteger && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads the scalar as a finite number (integer or float), when it is one.</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        return Type is YamlScalarType.Integer or YamlScalarType.Float
            && !IsOctalOrHexInteger
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    // Spec: YAML 1.2.2 §10.3.2: `0o[0-7]+` and `0x[0-9a-fA-F]+` are integers (tag:yaml.org,2002:int), so a reader that
    // follows the core schema types them as integers, never as strings. Invariant: an agreement then refuses them
    // (Binder), wherever they stand: a number has one spelling, and `title: 0x10` is no string that another reader
    // would take for 16.
    [GeneratedRegex("^(0o[0-7]+|0x[0-9a-fA-F]+)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex OctalOrHexPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
