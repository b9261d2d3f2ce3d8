using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Concordat.Cli;

/// <summary>
/// Whole-number options whose parse errors say what is wrong: out of range (with the range) or not a number,
/// instead of a type name.
/// </summary>
internal static class CliNumbers
{
    /// <summary>A required count, index or tree size: 0 to <see cref="long.MaxValue"/>.</summary>
    public static Option<long> Count(string name, string description) =>
        new(name) { Description = description, Required = true, CustomParser = r => Parse(r, name) };

    /// <summary>An optional count, index or tree size.</summary>
    public static Option<long?> OptionalCount(string name, string description) =>
        new(name) { Description = description, CustomParser = r => Parse(r, name) };

    private static long Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        var digits = text.TrimStart('-', '+');
        result.AddError(digits.Length > 0 && digits.All(char.IsAsciiDigit)
            ? $"`{name}`: `{text}` is out of range: it must be between 0 and {long.MaxValue}"
            : $"`{name}`: `{text}` is not a whole number");
        return 0;
    }
}
