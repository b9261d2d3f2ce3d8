using System.Security.Cryptography;
using System.Text;

namespace Concordat.Cli.Tests.Commands;

public sealed class ReceiptCommandTests : IDisposable
{
    private const string Csv = "patient_id,note\r\nP-1,\"two\r\nlines\"\r\nP-2,plain\r\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-receipt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Check_FileAsSent_ExitsOkWithTheCounts()
    {
        var (file, receipt) = Write(Csv, Csv, rows: 2);

        var result = await CliRunner.RunAsync("receipt", "check", file, "--receipt", receipt);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith($"`{file}` matches its receipt: 2 row(s), {Encoding.UTF8.GetByteCount(Csv)} byte(s), sha256:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OneRowLost_ExitsVerificationFailedNamingEveryDifference()
    {
        var (file, receipt) = Write(Csv, Csv[..Csv.IndexOf("P-2", StringComparison.Ordinal)], rows: 2);

        var result = await CliRunner.RunAsync("receipt", "check", file, "--receipt", receipt);

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.StartsWith($"error CLI1601: `{file}` does not match its receipt: SHA-256 is `sha256:", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 row(s), the receipt says 2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ReceiptNotJson_ExitsInvalid()
    {
        var (file, receipt) = Write(Csv, Csv, rows: 2);
        await File.WriteAllTextAsync(receipt, "not json");

        var result = await CliRunner.RunAsync("receipt", "check", file, "--receipt", receipt);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1602: ", result.Error, StringComparison.Ordinal);
    }

    private (string File, string Receipt) Write(string sent, string received, long rows)
    {
        var bytes = Encoding.UTF8.GetBytes(sent);
        var file = Path.Combine(_folder, "rows.csv");
        var receipt = Path.Combine(_folder, "receipt.json");
        File.WriteAllText(file, received);
        File.WriteAllText(receipt, $$"""{"decisionId":"dec_1","format":"csv","rows":{{rows}},"bytes":{{bytes.Length}},"sha256":"sha256:{{Convert.ToHexStringLower(SHA256.HashData(bytes))}}","isComplete":true}""");
        return (file, receipt);
    }
}
