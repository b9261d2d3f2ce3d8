using Concordat.Core;

namespace Concordat.Testing.Core;

/// <summary>One entry of an error-code table, with the type and field that declare it.</summary>
/// <param name="Table">The type that declares the entry.</param>
/// <param name="Field">The field that holds it.</param>
/// <param name="Entry">The entry: code, title, meaning and fix.</param>
public sealed record ErrorCodeDeclaration(Type Table, string Field, ErrorCode Entry);
