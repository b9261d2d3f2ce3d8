using Concordat.Core;

namespace Concordat.Log;

/// <summary>
/// The first thing found wrong with a stored log: its code, a message naming the bad entry or hash, and the index of
/// the first entry it concerns.
/// </summary>
/// <param name="Error">The entry of <see cref="LogErrorCodes"/>: a stable code, <c>LOG41xx</c>, with its meaning and fix.</param>
/// <param name="Message">One line naming what is wrong.</param>
/// <param name="EntryIndex">The first entry the problem concerns, when it concerns entries.</param>
public sealed record LogProblem(ErrorCode Error, string Message, long? EntryIndex)
{
    /// <summary>Gets the stable code, such as <c>LOG4103</c>; see docs/errors.md.</summary>
    public string Code => Error.Code;
}
