namespace Concordat.Log;

/// <summary>
/// Thrown to an appender when the log refuses to grow: its stored right edge does not match its last signed checkpoint
/// and the entries appended since (<see cref="LogErrorCodes.RightEdgeDamaged"/>). Nothing was appended.
/// </summary>
/// <remarks>
/// A host MUST NOT write this failure to the damaged log itself: an HTTP front end replies 503 with the problem's code,
/// a command exits non-zero with it. The log stays refusing until it is opened again over a repaired store.
/// </remarks>
public sealed class LogDamagedException : Exception
{
    /// <summary>Initializes the exception with a generic problem.</summary>
    public LogDamagedException()
        : this(new LogProblem(LogErrorCodes.RightEdgeDamaged, "the log refuses to grow", null))
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public LogDamagedException(string message)
        : this(new LogProblem(LogErrorCodes.RightEdgeDamaged, message, null))
    {
    }

    /// <summary>Initializes the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LogDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new LogProblem(LogErrorCodes.RightEdgeDamaged, message, null);
    }

    /// <summary>Initializes the exception with the problem that makes the log refuse to grow.</summary>
    /// <param name="problem">The problem, of code <see cref="LogErrorCodes.RightEdgeDamaged"/>.</param>
    public LogDamagedException(LogProblem problem)
        : base(problem?.Message)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    /// <summary>Gets why the log refuses to grow.</summary>
    public LogProblem Problem { get; }
}
