namespace Concordat.Agreements.Syntax;

/// <summary>
/// One key and its value; the value is null when it could not be read (an alias, a node nested too deep).
/// </summary>
internal sealed record YamlMappingEntry(YamlScalar Key, YamlNode? Value);
