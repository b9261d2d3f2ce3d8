namespace Concordat.Core;

/// <summary>
/// A place in a source document: file, 1-based line and column of the start, and of the end.
/// </summary>
/// <param name="File">The file name or path as the user gave it, or <c>-</c> for standard input.</param>
/// <param name="Line">The 1-based line of the first character.</param>
/// <param name="Column">The 1-based column of the first character.</param>
/// <param name="EndLine">The 1-based line of the last character.</param>
/// <param name="EndColumn">The 1-based column just past the last character.</param>
public sealed record SourceSpan(string File, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>Renders the span as <c>file:line:column</c>, the form editors and terminals link.</summary>
    /// <returns>The rendered location.</returns>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
