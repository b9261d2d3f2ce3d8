namespace Concordat.Amendments;

/// <summary>
/// What a change between two versions of an agreement does to the recipients' rights.
/// </summary>
// CAUTION: persisted/public format (`agreement diff --json`); see docs/cli.md
public enum ChangeClass
{
    /// <summary>The new version allows more, or asks less of a recipient (a grant widened, an obligation weakened, a prohibition removed).</summary>
    Widening,
    /// <summary>The new version allows less, or asks more of a recipient.</summary>
    Narrowing,
    /// <summary>The change neither widens nor narrows by itself (a title, an approver), or its effect depends on the rest: the verdict decides.</summary>
    Neutral,
}
