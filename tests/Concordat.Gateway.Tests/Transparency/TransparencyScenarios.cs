using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Transparency;

/// <summary>The transparency log over HTTP: a signed checkpoint that proves inclusion of a recipient's own entries.</summary>
public abstract class TransparencyScenarios : GatewayScenarios
{
    [Fact]
    public async Task LogApi_Checkpoint_IsSignedAndProvesInclusionOfOwnEntries()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        var note = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");
        var own = (await bearer.GetFromJsonAsync<JsonObject>("/v1/log/mine"))!;

        var publicKey = File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.LogPublicKeyFileName)).Trim();
        Assert.True(Concordat.Crypto.NoteKey.TryParseVerifierKey(publicKey, out var verifierKey, out _));
        var opened = Concordat.Notes.SignedNote.Open(Encoding.UTF8.GetBytes(note), [Concordat.Notes.NoteVerifier.ForEd25519(verifierKey)]);
        Assert.True(opened.IsVerified);
        Assert.True(Concordat.Notes.Checkpoint.TryParse(opened.Note!.Text, out var checkpoint, out _));
        var entries = own["entries"]!.AsArray();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var leaf = Concordat.Merkle.MerkleHash.FromBytes(Convert.FromBase64String(entry!["leafHash"]!.GetValue<string>()));
            var proof = entry["inclusionProof"]!.AsArray().Select(h => Concordat.Merkle.MerkleHash.FromBytes(Convert.FromBase64String(h!.GetValue<string>()))).ToList();
            var result = Concordat.Merkle.MerkleProofVerifier.VerifyInclusion(leaf, entry["index"]!.GetValue<long>(), own["treeSize"]!.GetValue<long>(), proof, checkpoint.RootHash);
            Assert.True(result.IsValid, result.ToString());
        }
    }
}
