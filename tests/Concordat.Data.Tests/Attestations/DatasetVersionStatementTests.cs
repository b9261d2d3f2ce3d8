using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Data.Attestations;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Tests.Attestations;

/// <summary>
/// Dataset version and egress statements: subjects are the stored bytes, the predicate carries the schema change
/// (added, removed, retyped), the tags and the receipt, and both sign and verify through the one code path.
/// </summary>
public sealed class DatasetVersionStatementTests
{
    private static readonly DatasetTags s_tags = new(SensitivityLevel.Confidential, "CC-BY-4.0", "ward records", new Jurisdiction("GB"), PersonalData: true);

    private static readonly Ed25519PrivateKey s_private = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());

    private static NoteSignerKey SignerKey => new("gateway", NoteKey.ComputeKeyId("gateway", s_private.PublicKey), s_private);

    [Fact]
    public void Create_FirstVersion_SubjectsAreManifestAndFiles_NoSchemaChange()
    {
        var manifest = Manifest(1, ("patient_id", FieldType.String), ("age", FieldType.Integer));

        var statement = DatasetVersionStatement.Create(manifest, null, s_tags, "operator");

        Assert.Equal(AttestationPredicateTypes.DatasetVersion, statement.PredicateType);
        Assert.Equal(["wards@1/manifest.json", "wards@1/wards.csv"], statement.Subjects.Select(s => s.Name));
        Assert.Equal(manifest.ComputeDigest(), statement.Subjects[0].Sha256);
        Assert.Equal(manifest.Sources[0].Sha256, statement.Subjects[1].Sha256);
        Assert.Null(statement.Predicate["schemaChange"]!["previousVersion"]);
        Assert.Empty(statement.Predicate["schemaChange"]!["added"]!.AsArray());
        Assert.Equal("confidential", statement.Predicate["tags"]!["sensitivity"]!.GetValue<string>());
        Assert.Equal("CC-BY-4.0", statement.Predicate["tags"]!["licence"]!.GetValue<string>());
        Assert.Equal("GB", statement.Predicate["tags"]!["originJurisdiction"]!.GetValue<string>());
        Assert.Equal("operator", statement.Predicate["importer"]!.GetValue<string>());
    }

    [Fact]
    public void Create_NextVersion_NamesFieldsAddedRemovedAndRetyped()
    {
        var previous = Manifest(1, ("patient_id", FieldType.String), ("age", FieldType.Integer), ("ward", FieldType.String));
        var manifest = Manifest(2, ("patient_id", FieldType.String), ("age", FieldType.Decimal), ("admitted", FieldType.Date));

        var change = DatasetVersionStatement.Create(manifest, previous, s_tags, "operator").Predicate["schemaChange"]!;

        Assert.Equal(1, change["previousVersion"]!.GetValue<int>());
        Assert.Equal("""[{"name":"admitted","type":"date"}]""", change["added"]!.ToJsonString());
        Assert.Equal("""[{"name":"ward","type":"string"}]""", change["removed"]!.ToJsonString());
        Assert.Equal("""[{"name":"age","from":"integer","to":"decimal"}]""", change["retyped"]!.ToJsonString());
    }

    [Fact]
    public void DatasetVersionAndEgress_SignAndVerifyWithTheGatewayKey()
    {
        var trusted = new[] { DsseVerifierKey.FromNoteKey(SignerKey.VerifierKey) };
        var version = Attestation.Sign(DatasetVersionStatement.Create(Manifest(1, ("a", FieldType.String)), null, s_tags, "operator"), SignerKey);
        var receipt = new EgressReceipt(2, 20, Sha256Digest.Compute("a,b\n1,2\n"u8), 0, 0, IsComplete: true);
        var facts = new EgressFacts("dec_1", "northwind", "wards", 1, Sha256Digest.Compute("agreement"u8), "evaluation", ["mask:age", "drop:name"], "csv", DateTimeOffset.UnixEpoch);
        var egress = Attestation.Sign(EgressStatement.Create(facts, receipt), SignerKey);

        var versionResult = Attestation.Verify(version.ToJson(), trusted, AttestationPredicateTypes.DatasetVersion);
        var egressResult = Attestation.Verify(egress.ToJson(), trusted, AttestationPredicateTypes.Egress);

        Assert.True(versionResult.IsVerified, versionResult.Error?.ToString());
        Assert.True(egressResult.IsVerified, egressResult.Error?.ToString());
        Assert.Equal(receipt.Sha256, egressResult.Statement.Subjects.Single().Sha256);
        Assert.Equal("""["drop:name","mask:age"]""", egressResult.Statement.Predicate["obligations"]!.ToJsonString());
        Assert.Equal("evaluation", egressResult.Statement.Predicate["purpose"]!.GetValue<string>());
    }

    private static DatasetManifest Manifest(int version, params (string Name, FieldType Type)[] fields) => new(
        new DatasetId("wards"),
        new DatasetVersion(version),
        DateTimeOffset.UnixEpoch,
        2,
        Sha256Digest.Compute("rows"u8),
        [.. fields.Select(f => new DatasetSchemaField(new FieldName(f.Name), f.Type))],
        [new DatasetSourceRecord("wards.csv", RowFormat.Csv, Sha256Digest.Compute("source"u8), 10, 2)]);
}
