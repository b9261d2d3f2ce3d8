namespace Concordat.Decisions;

/// <summary>
/// How one grant stands towards one request; the values are packed three bits each into outcome keys.
/// </summary>
internal enum GrantState : byte
{
    /// <summary>The grant does not cover the action or purpose.</summary>
    NotApplicable = 0,

    /// <summary>The grant permits the request.</summary>
    Matches = 1,

    /// <summary>The grant covers the action and purpose, but not at this time.</summary>
    OutsideWindow = 2,

    /// <summary>The grant covers the action and purpose, but not this processing jurisdiction.</summary>
    JurisdictionNotPermitted = 3,

    /// <summary>The grant covers the action and purpose, but not this subprocessor.</summary>
    SubprocessorNotPermitted = 4,

    /// <summary>The grant covers the request but its condition is not true.</summary>
    ConditionNotMet = 5,
}
