using System.Globalization;
using System.Text.Json;
using Concordat.Core;

namespace Concordat.Incidents.Detection;

/// <summary>
/// Reads the detectors' thresholds from a workspace's <c>detection.json</c>: a JSON object whose members are the
/// camelCase names of <see cref="DetectionOptions"/>' properties; an absent member keeps its default.
/// </summary>
public static class DetectionOptionsReader
{
    /// <summary>The file name in a workspace.</summary>
    public const string FileName = "detection.json";

    /// <summary>Reads settings; every problem is returned at once, and the options are <see langword="null"/> when there is one.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="diagnostics">Every problem found.</param>
    /// <returns>The options, or <see langword="null"/> when a problem was found.</returns>
    public static DetectionOptions? Read(string json, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add(IncidentErrorCodes.DetectionFileMalformed.Error($"`{FileName}` is not JSON: {e.Message}"));
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add(IncidentErrorCodes.DetectionFileMalformed.Error($"`{FileName}` is not a JSON object"));
                return null;
            }

            var options = DetectionOptions.Default;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                options = Apply(options, member, problems);
            }

            return problems.Count == 0 ? options : null;
        }
    }

    private static DetectionOptions Apply(DetectionOptions o, JsonProperty member, List<Diagnostic> problems)
    {
        var v = member.Value;
        return member.Name switch
        {
            "warmupHours" => Whole(v, member.Name, 0, 24 * 365, problems) is { } n ? o with { WarmupHours = (int)n } : o,
            "warmupActiveHours" => Whole(v, member.Name, 0, 24 * 365, problems) is { } n ? o with { WarmupActiveHours = (int)n } : o,
            "spikeFactor" => Real(v, member.Name, 1, 1000, problems) is { } d ? o with { SpikeFactor = d } : o,
            "minimumRows" => Whole(v, member.Name, 1, long.MaxValue, problems) is { } n ? o with { MinimumRows = n } : o,
            "minimumBytes" => Whole(v, member.Name, 1, long.MaxValue, problems) is { } n ? o with { MinimumBytes = n } : o,
            "minimumRequests" => Whole(v, member.Name, 1, int.MaxValue, problems) is { } n ? o with { MinimumRequests = (int)n } : o,
            "minimumDenies" => Whole(v, member.Name, 1, int.MaxValue, problems) is { } n ? o with { MinimumDenies = (int)n } : o,
            "minimumDenyShare" => Real(v, member.Name, 0, 1, problems) is { } d ? o with { MinimumDenyShare = d } : o,
            "minimumTokens" => Whole(v, member.Name, 1, int.MaxValue, problems) is { } n ? o with { MinimumTokens = (int)n } : o,
            "datasetSweepWindowMinutes" => Whole(v, member.Name, 1, 24 * 60, problems) is { } n ? o with { DatasetSweepWindowMinutes = (int)n } : o,
            "minimumDatasets" => Whole(v, member.Name, 2, 1000, problems) is { } n ? o with { MinimumDatasets = (int)n } : o,
            "warmStartHours" => Whole(v, member.Name, 0, 24 * 90, problems) is { } n ? o with { WarmStartHours = (int)n } : o,
            _ => Unknown(o, member.Name, problems),
        };
    }

    private static DetectionOptions Unknown(DetectionOptions o, string name, List<Diagnostic> problems)
    {
        problems.Add(IncidentErrorCodes.DetectionSettingUnknown.Error($"`{FileName}`: unknown setting `{name}`"));
        return o;
    }

    private static long? Whole(JsonElement v, string name, long min, long max, List<Diagnostic> problems)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add(OutOfRange(v, name, min.ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture), "a whole number"));
        return null;
    }

    private static double? Real(JsonElement v, string name, double min, double max, List<Diagnostic> problems)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= min && d <= max)
        {
            return d;
        }

        problems.Add(OutOfRange(v, name, min.ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture), "a number"));
        return null;
    }

    private static Diagnostic OutOfRange(JsonElement v, string name, string min, string max, string what) =>
        IncidentErrorCodes.DetectionSettingOutOfRange.Error($"`{FileName}`: `{name}` is `{v.GetRawText()}`: it must be {what} from {min} to {max}");
}
