using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Concordat.Agreements;

/// <summary>
/// The kebab-case spelling of the agreement language's enum values (<c>read-rows</c>, <c>open-source-community</c>),
/// used by the reader, the digest, the schema and every output that names a value.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public static class AgreementEnumText
{
    // Invariant: each spelling is derived from the member name, except where the name alone would mislead.
    private static readonly Dictionary<object, string> s_overrides = new()
    {
        [PartyRole.ProcessorGdpr] = "gdpr-processor",
        [PartyRole.Controller] = "gdpr-controller",
    };

    private static readonly ConcurrentDictionary<Type, (Dictionary<string, object> ByText, Dictionary<object, string> ByValue)> s_tables = new();

    /// <summary>Writes <paramref name="value"/> in kebab case.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">A defined value.</param>
    /// <returns>The spelling used in agreements.</returns>
    public static string ToText<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Table<TEnum>().ByValue.TryGetValue(value, out var text) ? text : throw new ArgumentOutOfRangeException(nameof(value), value, "the value is not defined");

    /// <summary>Reads a kebab-case spelling.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="value">The value, when the text names one.</param>
    /// <returns><see langword="true"/> when the text is the spelling of a value.</returns>
    public static bool TryParse<TEnum>([NotNullWhen(true)] string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (text is null || !Table<TEnum>().ByText.TryGetValue(text, out var boxed))
        {
            return false;
        }

        value = (TEnum)boxed;
        return true;
    }

    /// <summary>Lists every spelling of <typeparamref name="TEnum"/>, in declaration order.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <returns>The spellings.</returns>
    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(ToText)];

    private static (Dictionary<string, object> ByText, Dictionary<object, string> ByValue) Table<TEnum>()
        where TEnum : struct, Enum =>
        s_tables.GetOrAdd(typeof(TEnum), static _ =>
        {
            var byText = new Dictionary<string, object>(StringComparer.Ordinal);
            var byValue = new Dictionary<object, string>();
            foreach (var value in Enum.GetValues<TEnum>())
            {
                var text = s_overrides.TryGetValue(value, out var special) ? special : Kebab(value.ToString());
                byText[text] = value;
                byValue[value] = text;
            }

            return (byText, byValue);
        });

    private static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
