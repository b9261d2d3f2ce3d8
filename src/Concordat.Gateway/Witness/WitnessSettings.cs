using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Notes;

namespace Concordat.Gateway.Witness;

/// <summary>
/// The witnesses a workspace submits its checkpoints to, and how many cosignatures publish a checkpoint: the
/// workspace's <c>witnesses.json</c> (docs/formats/witness.md), read once when the gateway is built.
/// </summary>
/// <param name="Witnesses">The witnesses, in the order their cosignatures are served.</param>
/// <param name="Cosignatures">How many of them must cosign a checkpoint before <c>/tlog/checkpoint</c> serves it.</param>
/// <param name="Interval">How often the gateway looks for a new checkpoint and resubmits to witnesses that did not answer.</param>
internal sealed record WitnessSettings(IReadOnlyList<WitnessEndpoint> Witnesses, int Cosignatures, TimeSpan Interval)
{
    /// <summary>The file name in the workspace.</summary>
    public const string FileName = "witnesses.json";

    /// <summary>The default interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Gets the settings without witnesses: the log's own signed checkpoint is served.</summary>
    public static WitnessSettings None { get; } = new([], 0, DefaultInterval);

    /// <summary>Gets a value indicating whether checkpoints wait for witnesses.</summary>
    public bool IsWitnessed => Witnesses.Count > 0;

    /// <summary>Reads the settings of the workspace at <paramref name="directory"/>: none without a file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message says where.</exception>
    public static WitnessSettings Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return None;
        }

        // Invariant: a bad setting stops the gateway at start-up: serving unwitnessed checkpoints would be silently weaker.
        try
        {
            return Parse(JsonNode.Parse(File.ReadAllText(path)));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"`{FileName}`: {ex.Message}", ex);
        }
    }

    private static WitnessSettings Parse(JsonNode? json)
    {
        if (json is not JsonObject root || root["witnesses"] is not JsonArray list || list.Count == 0)
        {
            throw new InvalidDataException($"`{FileName}`: an object with a non-empty `witnesses` array of {{\"url\", \"key\"}} is expected");
        }

        var witnesses = new List<WitnessEndpoint>();
        foreach (var item in list)
        {
            var url = item?["url"]?.GetValue<string>();
            var key = item?["key"]?.GetValue<string>();
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidDataException($"`{FileName}`: witness {witnesses.Count + 1}: `url` is not an http:// or https:// address (the witness's submission prefix)");
            }

            if (!CosignatureV1.TryParseVerifierKey(key, out var verifier, out var error))
            {
                throw new InvalidDataException($"`{FileName}`: witness {witnesses.Count + 1}: `key`: {error}; give the line `concordat key cosigner` prints");
            }

            if (witnesses.Any(w => w.Verifier.Name == verifier.Name))
            {
                throw new InvalidDataException($"`{FileName}`: witness `{verifier.Name}` is listed twice");
            }

            witnesses.Add(new WitnessEndpoint(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"), verifier));
        }

        var required = root["cosignatures"]?.GetValue<int>() ?? witnesses.Count;
        if (required < 1 || required > witnesses.Count)
        {
            throw new InvalidDataException($"`{FileName}`: `cosignatures` is {required}, not between 1 and the {witnesses.Count} witnesses listed");
        }

        var milliseconds = root["intervalMilliseconds"]?.GetValue<int>() ?? (int)DefaultInterval.TotalMilliseconds;
        if (milliseconds is < 10 or > 3_600_000)
        {
            throw new InvalidDataException($"`{FileName}`: `intervalMilliseconds` is {milliseconds}, not between 10 and 3600000");
        }

        return new WitnessSettings(witnesses, required, TimeSpan.FromMilliseconds(milliseconds));
    }
}

/// <summary>One witness: its submission prefix and its cosigner verifier.</summary>
/// <param name="Prefix">The submission prefix, ending in <c>/</c>.</param>
/// <param name="Verifier">The verifier of its cosignatures.</param>
internal sealed record WitnessEndpoint(Uri Prefix, NoteVerifier Verifier);
