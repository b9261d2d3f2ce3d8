using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Evidence;
using Concordat.Testing.Evidence;
using Concordat.Testing.Log;

namespace Concordat.Tests.Evidence;

public sealed class EvidencePackVerifierTests
{
    [Fact]
    public async Task Verify_BuiltPack_VerifiesTheAgreementsRecordOnly()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());

        var verification = await EvidencePackFixture.VerifyAsync(pack);

        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => $"{p.Code} {p.Message}")));
        Assert.Equal("hospital-research", verification.Agreement);
        Assert.Equal(10, verification.TreeSize);
        Assert.Equal(6, verification.Counts["entries"]);
        Assert.Equal(3, verification.Counts["entries:gateway.decision/v1"]);
        Assert.Equal(3, verification.Counts["entries:gateway.token-issued/v1"]);
        Assert.Equal(1, verification.Counts["agreementVersions"]);
        Assert.Equal(1, verification.Counts["rangeProofs"]);
        Assert.Equal(6, verification.Counts["inclusionProofs"]);
        Assert.Contains(verification.Keys, k => k.StartsWith("log (given): log.example+", StringComparison.Ordinal));
        Assert.Contains(verification.Keys, k => k.StartsWith("signer `ethics-board`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_ComplianceReport_StatesEachItemOfTheNewestVersion()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var consentLog = new ComplianceArtifact("consent-log", new AgreementId(EvidencePackFixture.Agreement), "consent.csv", Sha256Digest.Compute("consent"u8), EvidencePackFixture.Start, null, "st-marys-hospital");
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request() with { ComplianceArtifacts = [consentLog] });
        var files = EvidencePackFixture.Files(pack);

        var report = JsonNode.Parse(files.Single(f => f.Name == "reports/compliance.json").Content)!;
        var gdpr = report["regimes"]!.AsArray().Single(r => (string?)r!["regime"] == "gdpr")!["items"]!.AsArray().ToDictionary(i => (string)i!["id"]!, i => i!);
        var verification = await EvidencePackFixture.VerifyAsync(pack);

        Assert.Equal("concordat-compliance-report/v1", (string?)report["format"]);
        Assert.Equal(1, (int?)report["version"]);
        Assert.Equal("satisfied", (string?)gdpr["gdpr-consent-records"]["status"]);
        Assert.Equal(consentLog.Digest.ToString(), (string?)gdpr["gdpr-consent-records"]["artifact"]!["digest"]);
        Assert.Equal("satisfied", (string?)gdpr["gdpr-dpia"]["status"]);
        Assert.True((bool?)gdpr["gdpr-dpia"]["artifact"]!["declared"]);
        Assert.Equal("satisfied", (string?)gdpr["gdpr-accountability-log"]["status"]);
        Assert.Equal("missing", (string?)gdpr["gdpr-breach-procedure"]["status"]);
        Assert.Equal(
            ["reports/validation.json", "reports/compliance.json", "reports/lint.json", "keys/log.pub"],
            files.Select(f => f.Name).SkipWhile(n => !n.StartsWith("reports/", StringComparison.Ordinal)).Take(4));
        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => $"{p.Code} {p.Message}")));
        Assert.Equal(1, verification.Counts["complianceReports"]);
        Assert.Equal(1, verification.Counts["lintReports"]);
        Assert.Equal(report["regimes"]!.AsArray().Sum(r => r!["items"]!.AsArray().Count), verification.Counts["complianceItems"]);
    }

    [Fact]
    public async Task Build_LintReport_ListsEachVersionsWarnings()
    {
        var files = await BuiltFilesAsync();

        var lint = JsonNode.Parse(files.Single(f => f.Name == "reports/lint.json").Content)!;

        var version = Assert.Single(lint["versions"]!.AsArray())!;
        Assert.Equal("concordat-agreement-lint/v1", (string?)version["format"]);
        Assert.Equal(1, (int?)version["version"]);
        Assert.Empty(version["warnings"]!.AsArray());
    }

    [Fact]
    public async Task Build_Report_ShowsTheComplianceTable()
    {
        var files = await BuiltFilesAsync();

        var report = Encoding.UTF8.GetString(files.Single(f => f.Name == "report.html").Content);

        Assert.Contains("<table class=\"compliance\"><tr><th>regime</th><th>item</th><th>status</th><th>artifact</th></tr>", report, StringComparison.Ordinal);
        Assert.Contains("<tr><td>gdpr</td><td>gdpr-dpia</td><td>satisfied</td><td>dpia `Data protection impact assessment, heart-failure study` sha256:3f1c6d8e", report, StringComparison.Ordinal);
        Assert.Contains("<a href=\"reports/compliance.json\">", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChangedComplianceReport_FailsNamingTheFile()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "reports/compliance.json", c => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(c).Replace("\"missing\"", "\"satisfied\"", StringComparison.Ordinal)));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.FileChanged.Code, problem.Code);
        Assert.Contains("`reports/compliance.json`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ResignedPackWithoutComplianceReport_FailsNamingTheFile()
    {
        var files = await BuiltFilesAsync();
        files.RemoveAll(f => f.Name == "reports/compliance.json");

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.MemberMalformed.Code, problem.Code);
        Assert.Contains("`reports/compliance.json`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ResignedPackWithAddedLintWarning_FailsNamingTheVersion()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "reports/lint.json", c =>
        {
            var lint = JsonNode.Parse(c)!;
            lint["versions"]![0]!["warnings"]!.AsArray().Add(new JsonObject { ["code"] = "AGR3022", ["message"] = "purpose `research` has no controller and no joint controller" });
            return CanonicalJson.Canonicalize(lint);
        });

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.LintDiffers.Code, problem.Code);
        Assert.Contains("`reports/lint.json`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("v1 differs", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ResignedPackWithLintWarningsOfAnotherDocument_Fails()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "reports/lint.json", c => CanonicalJson.Canonicalize(new JsonObject { ["versions"] = new JsonArray() }));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.Equal(EvidenceErrorCodes.LintDiffers.Code, Assert.Single(verification.Problems).Code);
    }

    [Fact]
    public async Task Verify_PackOfTheLandedReleaseWhoseRoleWarningsCarryNoPositions_Verifies()
    {
        var files = await RoleWarningFilesAsync();
        EvidencePackFixture.Replace(files, "reports/lint.json", c => WithoutPositions(c, _ => { }));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => $"{p.Code} {p.Message}")));
        Assert.Equal(2, verification.Counts["lintWarnings"]);
        Assert.Equal(2, verification.Counts["lintWarningsWithoutPositions"]);
    }

    [Fact]
    public async Task Verify_LintReportWithoutPositionsAndARewordedWarning_Fails()
    {
        var files = await RoleWarningFilesAsync();
        EvidencePackFixture.Replace(files, "reports/lint.json", c => WithoutPositions(c, w => w["message"] = "no contradiction"));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.LintDiffers.Code, problem.Code);
        Assert.Contains("v1 differs", problem.Message, StringComparison.Ordinal);
    }

    // A pack of the hospital sample with data roles that contradict its grants (AGR3025, AGR3024), signed again by its
    // signers; as built now, both warnings carry their position.
    private static async Task<List<(string Name, byte[] Content)>> RoleWarningFilesAsync()
    {
        var text = File.ReadAllText(EvidencePackFixture.Sample("agreements/hospital-research.yaml"))
            .Replace("    breachContact: dpo@st-aurelia.example\n", "    breachContact: dpo@st-aurelia.example\n    dataRoles: { research: controller, evaluation: controller }\n", StringComparison.Ordinal)
            .Replace("    breachContact: security@northwind.example\n", "    breachContact: security@northwind.example\n    dataRoles: { research: controller, evaluation: processor }\n", StringComparison.Ordinal);
        var agreement = AgreementReader.Read(text, "hospital-research.yaml").Agreement!;
        var signatures = AgreementSigner.RequiredSigners(agreement).Select(s =>
        {
            Assert.True(NoteKey.TryParseSignerKey(File.ReadAllText(EvidencePackFixture.Sample($"keys/{s.Signer.Value}.key")).Trim(), out var key, out var error), error);
            return AgreementSigner.Sign(agreement, s.Signer, key);
        });
        var request = EvidencePackFixture.Request() with { Versions = [new EvidenceAgreementVersion(1, Encoding.UTF8.GetBytes(text), SignatureFile.Write(signatures))] };
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var files = EvidencePackFixture.Files(await EvidencePackFixture.BuildAsync(storage, request));
        var warnings = JsonNode.Parse(files.Single(f => f.Name == "reports/lint.json").Content)!["versions"]![0]!["warnings"]!.AsArray();
        Assert.Equal(["AGR3025", "AGR3024"], warnings.Select(w => (string?)w!["code"]));
        Assert.All(warnings, w => Assert.NotNull(w!["line"]));
        return files;
    }

    // The lint report as the landed release wrote it: `"line":null,"column":null` on every (here: data-role) warning.
    private static byte[] WithoutPositions(byte[] content, Action<JsonObject> change)
    {
        var lint = JsonNode.Parse(content)!;
        foreach (var warning in lint["versions"]![0]!["warnings"]!.AsArray())
        {
            warning!["line"] = null;
            warning["column"] = null;
            change(warning.AsObject());
        }

        return CanonicalJson.Canonicalize(lint);
    }

    [Fact]
    public async Task Verify_ResignedPackStatingABillionDecisions_SizesByTheEntriesAndVerifies()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "pack.json", c =>
        {
            var header = JsonNode.Parse(c)!;
            header["kinds"]!["gateway.decision/v1"] = 1_000_000_000;
            return CanonicalJson.Canonicalize(header);
        });

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => $"{p.Code} {p.Message}")));
        Assert.Equal(3, verification.Counts["decisionsReplayed"]);
    }

    [Fact]
    public async Task Build_SameLogTwice_WritesTheSameBytes()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());

        var first = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());
        var second = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Verify_Period_CarriesOnlyItsEntries()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var from = EvidencePackFixture.Start.AddMinutes(4);
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request(from, from.AddMinutes(3)));

        var verification = await EvidencePackFixture.VerifyAsync(pack);

        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => p.Message)));
        Assert.Equal(2, verification.Counts["entries"]);
    }

    [Fact]
    public async Task Verify_ChangedByte_FailsNamingTheFile()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "agreements/hospital-research/v1.yaml", c => [.. c, (byte)'\n']);

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        var problem = Assert.Single(verification.Problems, p => p.Code == EvidenceErrorCodes.FileChanged.Code);
        Assert.Contains("`agreements/hospital-research/v1.yaml`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_Report_IsSelfContainedHtmlWithChartsAndNoScript()
    {
        var files = await BuiltFilesAsync();

        var report = Encoding.UTF8.GetString(files.Single(f => f.Name == "report.html").Content);

        Assert.StartsWith("<!DOCTYPE html>", report, StringComparison.Ordinal);
        Assert.Equal(2, report.Split("<svg ").Length - 1);
        Assert.Contains("northwind-research / research", report, StringComparison.Ordinal);
        Assert.Contains("<a href=\"log/entries.ndjson\">", report, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", report, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", report.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithAnIncident_NarratesItAndShowsItsTimeline()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic().Concat(EvidencePackFixture.Incident()));
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());
        var files = EvidencePackFixture.Files(pack);

        var narrative = Encoding.UTF8.GetString(files.Single(f => f.Name == "narrative.txt").Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var report = Encoding.UTF8.GetString(files.Single(f => f.Name == "report.html").Content);
        var verification = await EvidencePackFixture.VerifyAsync(pack);

        Assert.True(verification.IsValid, string.Join("; ", verification.Problems.Select(p => p.Message)));
        Assert.Equal("2026-03-01: 3 decisions, 3 tokens issued", narrative[0]);
        Assert.Equal(
            ["#10 gateway.alert/v1", "#11 gateway.incident-opened/v1", "#12 gateway.incident-act/v1 act=seal", "#13 gateway.incident-act/v1 act=notify", "#14 gateway.incident-act/v1 act=close"],
            narrative.Skip(1).Select(line => string.Join(' ', line.Split(' ').Skip(1).Take(line.Contains("act=", StringComparison.Ordinal) ? 3 : 2))));
        Assert.Contains("<h3 class=\"incident\">inc_1: bulk pull beyond the baseline</h3>", report, StringComparison.Ordinal);
        Assert.Contains("<td>notify</td><td>dpo@hospital.example</td><td>to regulator</td>", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAndVerify_LongRecord_ReportProgress()
    {
        var tokens = Enumerable.Range(0, 5000).Select(i => EvidencePackFixture.Token(EvidencePackFixture.Start.AddSeconds(i), $"dec_{i}", $"tok_{i}", TimeSpan.FromMinutes(1)));
        await using var storage = await EvidencePackFixture.CreateLogAsync(tokens);
        var read = new List<long>();
        var verified = new List<long>();
        using var output = new MemoryStream();

        var built = await EvidencePackBuilder.BuildAsync(storage, EvidencePackFixture.Request(), EvidencePackFixture.LogKey, output, new ListProgress(read), default);
        output.Position = 0;
        var verification = await EvidencePackVerifier.VerifyAsync(output, EvidencePackFixture.LogKey.VerifierKey, [], new ListProgress(verified), default);

        Assert.True(built.IsBuilt, built.Problem?.Message);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems.Select(p => p.Message)));
        Assert.Equal([4096L, 5000L], read);
        Assert.Equal([4096L], verified);
    }

    [Fact]
    public async Task Build_ValidationReport_SaysEachVersionValidates()
    {
        var files = await BuiltFilesAsync();

        var validation = System.Text.Json.Nodes.JsonNode.Parse(files.Single(f => f.Name == "reports/validation.json").Content)!;

        var version = Assert.Single(validation["versions"]!.AsArray())!;
        Assert.Equal(1, version["version"]!.GetValue<int>());
        Assert.True(version["valid"]!.GetValue<bool>());
        Assert.All(version["diagnostics"]!.AsArray(), d => Assert.DoesNotContain("error", d!.GetValue<string>(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Build_WithoutIncidents_SaysSo()
    {
        var report = Encoding.UTF8.GetString((await BuiltFilesAsync()).Single(f => f.Name == "report.html").Content);

        Assert.Contains("No incident of this agreement was opened in the period.", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChangedHtmlByte_FailsNamingTheReport()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "report.html", c =>
        {
            c[^2] ^= 0x20;
            return c;
        });

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.FileChanged.Code, problem.Code);
        Assert.Contains("`report.html`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AddedFile_FailsNamingIt()
    {
        var files = await BuiltFilesAsync();
        files.Insert(0, ("notes.txt", "added later"u8.ToArray()));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.FileAdded.Code, problem.Code);
        Assert.Contains("`notes.txt`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RemovedFile_FailsNamingIt()
    {
        var files = await BuiltFilesAsync();
        files.RemoveAll(f => f.Name == "log/inclusion-proofs.ndjson");

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.FileRemoved.Code && p.Message.Contains("`log/inclusion-proofs.ndjson`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_RemovedEntryLine_FailsTheManifest()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "log/entries.ndjson", c => Encoding.UTF8.GetBytes(string.Concat(Encoding.UTF8.GetString(c).Split('\n').Skip(1).Select(l => l.Length > 0 ? l + "\n" : l))));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.Zip(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.FileChanged.Code && p.Message.Contains("`log/entries.ndjson`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_ChangedEntryUnderResignedManifest_FailsTheLeafHash()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "log/entries.ndjson", c => Encoding.UTF8.GetBytes(SwapFirstEntry(Encoding.UTF8.GetString(c))));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.EntriesNotInLog.Code && p.Message.Contains("entry 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_RemovedLeafUnderResignedManifest_FailsTheRoot()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "log/leaf-hashes.bin", c => c[..^32]);
        EvidencePackFixture.Replace(files, "log/range.json", c => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(c).Replace("\"end\":9", "\"end\":8", StringComparison.Ordinal)));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.EntriesNotInLog.Code);
    }

    [Fact]
    public async Task Verify_SwappedProofUnderResignedManifest_FailsTheProof()
    {
        var files = await BuiltFilesAsync();
        EvidencePackFixture.Replace(files, "log/inclusion-proofs.ndjson", c =>
        {
            var lines = Encoding.UTF8.GetString(c).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var first = lines[0][lines[0].IndexOf(",\"proof\"", StringComparison.Ordinal)..];
            var second = lines[1][lines[1].IndexOf(",\"proof\"", StringComparison.Ordinal)..];
            lines[0] = lines[0].Replace(first, second, StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        });

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.InclusionProofInvalid.Code);
    }

    [Fact]
    public async Task Verify_StaleCheckpointUnderResignedManifest_FailsTheRoot()
    {
        await using var storage = new MemoryLogStorage();
        var traffic = EvidencePackFixture.Traffic().ToList();
        await using (var log = await Concordat.Log.TransparencyLog.OpenAsync(storage, TimeProvider.System, EvidencePackFixture.LogKey, null, default))
        {
            foreach (var entry in traffic.Take(5))
            {
                await log.AppendAsync(entry, default);
            }

            await log.SignCheckpointAsync(default);
        }

        var stale = (await storage.ReadLatestCheckpointAsync(default))!.Note;
        await using (var log = await Concordat.Log.TransparencyLog.OpenAsync(storage, TimeProvider.System, EvidencePackFixture.LogKey, null, default))
        {
            foreach (var entry in traffic.Skip(5))
            {
                await log.AppendAsync(entry, default);
            }

            await log.SignCheckpointAsync(default);
        }

        var files = EvidencePackFixture.Files(await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request()));
        EvidencePackFixture.Replace(files, "log/checkpoint", _ => Encoding.UTF8.GetBytes(stale));

        var verification = await EvidencePackFixture.VerifyAsync(EvidencePackFixture.ZipResigned(files));

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.EntriesNotInLog.Code || p.Code == EvidenceErrorCodes.MemberMalformed.Code);
    }

    [Fact]
    public async Task Verify_OtherLogKey_FailsTheManifestAndCheckpoint()
    {
        var pack = EvidencePackFixture.Zip(await BuiltFilesAsync());

        var verification = await EvidencePackFixture.VerifyAsync(pack, LogTestData.CreateKey("log.example", 9).VerifierKey);

        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.LogKeyMismatch.Code);
        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.ManifestInvalid.Code);
        Assert.Contains(verification.Problems, p => p.Code == EvidenceErrorCodes.CheckpointInvalid.Code);
    }

    [Fact]
    public async Task Verify_PreviousPack_ProvesConsistency()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var first = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());
        await using (var log = await Concordat.Log.TransparencyLog.OpenAsync(storage, TimeProvider.System, EvidencePackFixture.LogKey, null, default))
        {
            await log.AppendAsync(EvidencePackFixture.Traffic().First(), default);
            await log.SignCheckpointAsync(default);
        }

        var second = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request() with { Previous = new MemoryStream(first) });

        var verification = await EvidencePackFixture.VerifyAsync(second);

        Assert.True(verification.IsValid, string.Join('\n', verification.Problems.Select(p => p.Message)));
        Assert.Equal(1, verification.Counts["consistencyProofs"]);
    }

    [Fact]
    public async Task Verify_NotAZip_FailsAsUnreadable()
    {
        var verification = await EvidencePackFixture.VerifyAsync("not a zip"u8.ToArray());

        Assert.Equal(EvidenceErrorCodes.PackUnreadable.Code, Assert.Single(verification.Problems).Code);
    }

    private static async Task<List<(string Name, byte[] Content)>> BuiltFilesAsync()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        return EvidencePackFixture.Files(await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request()));
    }

    private static string SwapFirstEntry(string lines)
    {
        var all = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var forged = EvidencePackFixture.Entry("gateway.decision/v1", EvidencePackFixture.Start, new System.Text.Json.Nodes.JsonObject { ["recipient"] = EvidencePackFixture.Recipient, ["agreement"] = EvidencePackFixture.Agreement });
        all[0] = $"{{\"index\":0,\"entry\":\"{Convert.ToBase64String(forged.CanonicalBytes.Span)}\"}}";
        return string.Join('\n', all) + "\n";
    }

    // Records every report in order, on the reporting thread.
    private sealed class ListProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
