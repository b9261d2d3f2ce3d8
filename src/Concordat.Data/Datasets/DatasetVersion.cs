using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Concordat.Data.Datasets;

/// <summary>
/// The version of an imported dataset: 1 for the first import, then 2, 3, ...
/// </summary>
/// <param name="Number">The version number, at least 1.</param>
// CAUTION: persisted/public format (directory names and manifests); see docs/formats/datasets.md
public readonly record struct DatasetVersion(int Number)
{
    /// <summary>Parses a version as written in paths and manifests: a decimal number from 1, without leading zeros.</summary>
    /// <param name="text">The text.</param>
    /// <param name="version">The version, when <paramref name="text"/> is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out DatasetVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text) || text.Length > 9 || text[0] is < '1' or > '9' ||
            !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        version = new DatasetVersion(number);
        return true;
    }

    /// <summary>Returns the version as written in paths and manifests.</summary>
    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture);
}
