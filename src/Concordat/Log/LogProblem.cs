namespace Concordat.Log;

/// <summary>
/// The first thing found wrong with a stored log: a stable code, a message naming the bad entry or hash, and
/// the index of the first entry it concerns.
/// </summary>
/// <param name="Code">A stable code, <c>LOG41xx</c>; see docs/errors.md.</param>
/// <param name="Message">One line naming what is wrong.</param>
/// <param name="EntryIndex">The first entry the problem concerns, when it concerns entries.</param>
public sealed record LogProblem(string Code, string Message, long? EntryIndex);
