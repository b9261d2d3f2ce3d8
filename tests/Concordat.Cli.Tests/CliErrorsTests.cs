using System.Net;
using System.Net.Sockets;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Tests;

/// <summary>
/// Bad environments and bad input: one error line with its code and a non-zero exit, never a stack trace (that takes
/// <c>--verbose</c>). A gateway that fails to start is run as a real process, since the host logs to the console.
/// </summary>
public sealed class CliErrorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-errors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Serve_PortInUse_ExitsErrorWithCannotListen()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync("serve", "--workspace", Path.Combine(_folder, "ws"), "--urls", $"http://127.0.0.1:{port}");

        AssertOneError(result, ExitCodes.Error, "error CLI1401: cannot listen on ");
    }

    [Fact]
    public async Task Serve_UrlsNotAUrl_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync("serve", "--workspace", Path.Combine(_folder, "ws"), "--urls", "not-a-url");

        AssertOneError(result, ExitCodes.Invalid, "error CLI1405: `--urls`: `not-a-url` is not an http:// or https:// address");
    }

    [Fact]
    public async Task Serve_StoreUnreachable_ExitsErrorWithStoreUnavailable()
    {
        var result = await CliProcess.RunAsync("serve", "--workspace", Path.Combine(_folder, "ws"), "--urls", "http://127.0.0.1:0", "--store", "Host=127.0.0.1;Port=1;Database=concordat;Username=concordat;Timeout=3");

        AssertOneError(result, ExitCodes.Error, "error CLI1406: the PostgreSQL store cannot be reached");
        Assert.DoesNotContain("Username=concordat", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StoreMalformed_ExitsErrorWithStoreUnavailable()
    {
        var result = await CliRunner.RunAsync("serve", "--workspace", Path.Combine(_folder, "ws"), "--urls", "http://127.0.0.1:0", "--store", "this is not a connection string");

        AssertOneError(result, ExitCodes.Error, "error CLI1406: --store is not a connection string");
    }

    [Fact]
    public async Task Validate_Directory_SaysItIsADirectory()
    {
        var result = await CliRunner.RunAsync("agreement", "validate", _folder);

        AssertOneError(result, ExitCodes.Error, $"error CLI1101: file `{_folder}` is a directory, not a file");
    }

    [Fact]
    public async Task NoteSign_KeyIsMissing_SaysMissing()
    {
        var key = Path.Combine(_folder, "nope.key");

        var result = await CliRunner.RunAsync("note", "sign", "--key", key, "-");

        AssertOneError(result, ExitCodes.Error, $"error CLI1101: key file `{key}` is missing");
    }

    [Fact]
    public async Task LogVerify_VerifierKeyMissing_SaysMissingNotMalformed()
    {
        var result = await CliRunner.RunAsync("log", "verify", "--workspace", _folder);

        Assert.Contains($"`{Path.Combine(_folder, "log.pub")}` is missing", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("malformed", result.Error, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task KeyNew_FolderMissing_ExitsErrorWithUnwritable()
    {
        var prefix = Path.Combine(_folder, "no", "such", "folder", "k");

        var result = await CliRunner.RunAsync("key", "new", "--name", "k", "--out", prefix);

        AssertOneError(result, ExitCodes.Error, $"error CLI0003: cannot write `{prefix}.key`: its folder `{Path.GetDirectoryName(prefix)}` does not exist");
    }

    [Fact]
    public async Task Seal_GatewayDown_ExitsErrorWithUnreachable()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        holder.Stop();
        GatewayWorkspace.OpenOrCreate(_folder);
        await File.WriteAllTextAsync(Path.Combine(_folder, "gateway.url"), $"http://127.0.0.1:{port}\n");

        var result = await CliRunner.RunAsync("seal", "northwind-research", "--reason", "drill", "--workspace", _folder);

        AssertOneError(result, ExitCodes.Error, "error CLI1402: cannot reach the gateway: ");
    }

    private static void AssertOneError(CliResult result, int exitCode, string start)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}\n{result.Out}\n{result.Error}");
        Assert.StartsWith(start, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.ReplaceLineEndings("\n").Split('\n'), line => line.StartsWith("error ", StringComparison.Ordinal));
        AssertNoStackTrace(result);
    }

    private static void AssertNoStackTrace(CliResult result) =>
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
}
