using Concordat.Core;

namespace Concordat.Incidents;

/// <summary>
/// The stable codes of the incident family, each with its title, meaning and fix: INC70xx detection and KPIs.
/// docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format; see docs/errors.md
public static class IncidentErrorCodes
{
    #region INC codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode DetectionFileMalformed = new("INC7001", "malformed detection settings", "the workspace's `detection.json` is not a JSON object", "write a JSON object of settings, such as `{\"spikeFactor\": 4}`");
    public static readonly ErrorCode DetectionSettingUnknown = new("INC7002", "unknown detection setting", "`detection.json` names a setting the detectors do not have", "use a setting listed in docs/design/incidents.md");
    public static readonly ErrorCode DetectionSettingOutOfRange = new("INC7003", "detection setting out of range", "a setting of `detection.json` is not a number in its range", "give a number in the range docs/design/incidents.md states for the setting");
#pragma warning restore CS1591
    #endregion
}
