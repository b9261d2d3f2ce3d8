namespace Concordat.Cli;

/// <summary>
/// One example per command, shown at the end of its <c>--help</c> (and <c>concordat help VERB</c>); a test holds
/// every command to having one, and checks that each parses.
/// </summary>
internal static class CommandExamples
{
    /// <summary>Gets the examples by command path: the verbs after <c>concordat</c>, space-separated; the root is empty.</summary>
    public static IReadOnlyDictionary<string, string> ByPath { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [""] = "concordat help decide",
        ["help"] = "concordat help log verify",
        ["key"] = "concordat key new --name st-aurelia --out keys/st-aurelia",
        ["key new"] = "concordat key new --name st-aurelia --out keys/st-aurelia",
        ["log"] = "concordat log verify --workspace ws",
        ["log root"] = "concordat log root leaves.txt",
        ["log check-inclusion"] = "concordat log check-inclusion $(concordat log prove inclusion --workspace ws --index 0)",
        ["log check-consistency"] = "concordat log check-consistency $(concordat log prove consistency --workspace ws --size1 1)",
        ["log init"] = "concordat log init --workspace ws --origin log.example.org",
        ["log append"] = "echo '{\"decisionId\":\"d-1\"}' | concordat log append --workspace ws --type decision/v1",
        ["log get"] = "concordat log get --workspace ws --index 0",
        ["log checkpoint"] = "concordat log checkpoint --workspace ws",
        ["log verify"] = "concordat log verify --workspace ws",
        ["log export"] = "concordat log export --workspace ws --out log-export.ndjson",
        ["log prove"] = "concordat log prove inclusion --workspace ws --index 0",
        ["log prove inclusion"] = "concordat log prove inclusion --workspace ws --index 0 --size 2",
        ["log prove consistency"] = "concordat log prove consistency --workspace ws --size1 1 --size2 2",
        ["note"] = "concordat note verify --key ws/log.pub checkpoint.txt",
        ["note sign"] = "concordat note sign --key keys/st-aurelia.key note.txt",
        ["note verify"] = "concordat note verify --key ws/log.pub checkpoint.txt",
        ["note cosign"] = "concordat note cosign --key keys/northwind-research.key --log-key ws/log.pub checkpoint.txt",
        ["agreement"] = "concordat agreement validate samples/agreements/*.yaml",
        ["agreement validate"] = "concordat agreement validate samples/agreements/*.yaml",
        ["agreement digest"] = "concordat agreement digest samples/agreements/hospital-research.yaml --canonical",
        ["agreement sign"] = "concordat agreement sign hospital-research.yaml --key keys/st-aurelia.key --as st-aurelia",
        ["agreement verify"] = "concordat agreement verify samples/agreements/hospital-research.yaml --trusted-keys samples/trusted-keys.txt",
        ["agreement status"] = "concordat agreement status samples/agreements/*.yaml --trusted-keys samples/trusted-keys.txt --at 2026-11-21T00:00:00Z",
        ["agreement explain"] = "concordat agreement explain samples/agreements/hospital-research.yaml",
        ["agreement terminate"] = "concordat agreement terminate hospital-research.yaml --key keys/st-aurelia.key --as st-aurelia --at 2027-06-01T00:00:00Z",
        ["agreement upload"] = "concordat agreement upload hospital-research.yaml --workspace ws",
        ["agreement list"] = "concordat agreement list --workspace ws",
        ["serve"] = "concordat serve --workspace ws --urls http://127.0.0.1:8080",
        ["quickstart"] = "concordat quickstart --agreement foundation-evaluation --workspace demo",
        ["seal"] = "concordat seal northwind-research --reason \"suspected credential leak\" --workspace ws",
        ["unseal"] = "concordat unseal northwind-research --reason \"credentials rotated\" --workspace ws",
        ["access"] = "concordat access review --workspace ws",
        ["access review"] = "concordat access review --workspace ws --json",
        ["dataset"] = "concordat dataset import cardiology-records records.csv --workspace ws",
        ["dataset import"] = "concordat dataset import cardiology-records records.csv --workspace ws",
        ["dataset list"] = "concordat dataset list --workspace ws",
        ["dataset versions"] = "concordat dataset versions cardiology-records 1 --workspace ws",
        ["decide"] = "concordat decide --agreement samples/agreements/hospital-research.yaml --trusted-keys samples/trusted-keys.txt --recipient northwind-research --action read-rows --dataset cardiology-records --purpose research --jurisdiction DE --time 2026-06-01T00:00:00Z",
        ["identity"] = "concordat identity list northwind-research --workspace ws",
        ["identity create"] = "concordat identity create northwind-research --role training --workspace ws",
        ["identity list"] = "concordat identity list northwind-research --workspace ws",
        ["identity revoke"] = "concordat identity revoke northwind-research cid_0123456789abcdef --workspace ws",
        ["token"] = "concordat token revoke tok_0123456789abcdef --workspace ws",
        ["token revoke"] = "concordat token revoke tok_0123456789abcdef --workspace ws",
        ["trust"] = "concordat trust list --workspace ws",
        ["trust add"] = "concordat trust add st-aurelia keys/st-aurelia.pub --workspace ws",
        ["trust list"] = "concordat trust list --workspace ws",
        ["receipt"] = "concordat receipt check rows.csv --receipt receipt.json",
        ["receipt check"] = "concordat receipt check rows.csv --receipt receipt.json",
        ["attest"] = "concordat attest verify --key keys/st-aurelia.pub --attestation release.intoto.json release/",
        ["attest sign"] = "concordat attest sign --key keys/st-aurelia.key --out release.intoto.json release/",
        ["attest verify"] = "concordat attest verify --key keys/st-aurelia.pub --attestation release.intoto.json release/",
    };
}
