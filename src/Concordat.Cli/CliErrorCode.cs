using Concordat.Core;

namespace Concordat.Cli;

/// <summary>
/// A stable code of the command line with the exit code it ends a command with; the table is <see cref="CliErrorCodes"/>.
/// </summary>
/// <param name="Code">The code, such as <c>CLI1101</c>.</param>
/// <param name="Exit">The exit code (<see cref="ExitCodes"/>).</param>
/// <param name="Title">A few words naming the problem.</param>
/// <param name="Meaning">What the code means.</param>
/// <param name="Fix">What to do about it: the help printed when the call site has nothing more specific to say.</param>
internal sealed record CliErrorCode(string Code, int Exit, string Title, string Meaning, string Fix) : ErrorCode(Code, Title, Meaning, Fix);
