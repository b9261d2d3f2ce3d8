using System.Text.Json;

namespace Concordat.Gateway.Transparency;

/// <summary>A page of entries; <paramref name="NextCursor"/> only grows.</summary>
internal sealed record EntriesPage(long TreeSize, IReadOnlyList<LogEntryView> Entries, long NextCursor);

/// <summary>One entry: its index, its exact bytes (base64) and, when they parse, its type, time and body.</summary>
internal sealed record LogEntryView(long Index, string Bytes, string? Type, DateTimeOffset? Time, JsonElement? Body);

/// <summary>A proof: the two numbers it is about and its hashes, base64.</summary>
internal sealed record ProofView(long From, long To, IReadOnlyList<string> Hashes);

/// <summary>A recipient's own entries, each with its inclusion proof in the checkpoint returned with them.</summary>
internal sealed record OwnEntriesPage(string Checkpoint, long TreeSize, IReadOnlyList<OwnEntryView> Entries, long NextCursor);

/// <summary>One own entry with its leaf hash and inclusion proof.</summary>
internal sealed record OwnEntryView(long Index, string Bytes, string LeafHash, IReadOnlyList<string> InclusionProof);
