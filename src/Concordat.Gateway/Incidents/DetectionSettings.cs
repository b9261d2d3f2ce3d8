using Concordat.Incidents.Detection;

namespace Concordat.Gateway.Incidents;

/// <summary>Reads the workspace's detection thresholds (<c>detection.json</c>) once, when the gateway is built.</summary>
internal static class DetectionSettings
{
    /// <summary>Reads the thresholds of the workspace at <paramref name="directory"/>: the defaults without a file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed: every problem, each with its <c>INC</c> code.</exception>
    public static DetectionOptions Read(string directory)
    {
        var path = Path.Combine(directory, DetectionOptionsReader.FileName);
        if (!File.Exists(path))
        {
            return DetectionOptions.Default;
        }

        // Invariant: a bad setting stops the gateway at start-up: silently running with the defaults would weaken detection.
        return DetectionOptionsReader.Read(File.ReadAllText(path), out var problems)
            ?? throw new InvalidDataException(string.Join("; ", problems.Select(p => $"{p.Code}: {p.Message}")));
    }
}
