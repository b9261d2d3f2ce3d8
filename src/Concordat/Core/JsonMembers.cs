using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Core;

/// <summary>
/// Reads string members of JSON the project did not write itself (log entry bodies, statements, request bodies),
/// where a missing or mistyped member is an answer (null), never an exception.
/// </summary>
public static class JsonMembers
{
    /// <summary>Reads a string member of an object; <see langword="null"/> when absent, not a string, or not an object.</summary>
    /// <param name="body">The element to read from.</param>
    /// <param name="name">The member's name.</param>
    /// <returns>The member's text, or <see langword="null"/>.</returns>
    public static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Reads a node as a string; <see langword="null"/> when absent or not a string value.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The node's text, or <see langword="null"/>.</returns>
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
