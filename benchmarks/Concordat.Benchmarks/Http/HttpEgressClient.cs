using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Concordat.Benchmarks.Http;

/// <summary>
/// The client side of benchmarks/http/egress.sh: streams <c>GET /v1/datasets/{id}/rows</c> into a null sink with one
/// reused buffer, counting rows (newlines) and bytes, then checks the gateway's receipt says the same. Also the
/// seal probe: seals the recipient while its stream is under way and times when the stream stops, client-side.
/// </summary>
/// <remarks>
/// Output is one line of <c>key=value</c> pairs for the script to parse. Secrets (the token, the admin key) are read
/// from files, never from the command line, so they do not show in the process list.
/// </remarks>
public static class HttpEgressClient
{
    private const int BufferSize = 64 * 1024;

    /// <summary>The seal probe seals once it has read this much of the stream, so the stream is surely under way.</summary>
    private const int SealAfterBytes = 1 << 20;

    /// <summary>Run with <c>-- http-egress-client ROWS_URL TOKEN_FILE ACCEPT</c>; returns the exit code.</summary>
    public static async Task<int> StreamAsync(TextWriter output, Uri rowsUrl, string tokenFile, string accept)
    {
        using var http = Bearer(await ReadSecretAsync(tokenFile));
        var buffer = new byte[BufferSize];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, rowsUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            output.WriteLine($"error: the gateway answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return 1;
        }

        var headers = Stopwatch.GetElapsedTime(started);
        long lines = 0;
        long bytes = 0;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                bytes += read;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        // Invariant: a CSV stream starts with one header line; every other line is a row.
        var rows = accept.Contains("csv", StringComparison.OrdinalIgnoreCase) ? lines - 1 : lines;
        var decisionId = response.Headers.TryGetValues("Concordat-Decision-Id", out var ids) ? ids.First() : "";
        var receipt = await ReadReceiptAsync(http, new Uri(rowsUrl, "/v1/receipts/" + Uri.EscapeDataString(decisionId)));
        var receiptRows = receipt?["rows"]?.GetValue<long>();
        var receiptBytes = receipt?["bytes"]?.GetValue<long>();
        output.WriteLine(
            $"rows={rows} bytes={bytes} seconds={elapsed.TotalSeconds:F3} rows_per_s={rows / elapsed.TotalSeconds:F0} " +
            $"mb_per_s={bytes / elapsed.TotalSeconds / 1e6:F1} client_cpu_s={cpu.TotalSeconds:F3} headers_ms={headers.TotalMilliseconds:F1} " +
            $"receipt_rows={receiptRows} receipt_bytes={receiptBytes} decision={decisionId}");
        if (receiptRows != rows || receiptBytes != bytes)
        {
            output.WriteLine("error: the gateway's receipt does not match what the client received");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Run with <c>-- http-seal-client BASE_URL DATASET TOKEN_FILE ADMIN_KEY_FILE RECIPIENT</c>: reads the rows stream,
    /// and after its first MiB seals the recipient (as the operator) while still reading; returns the exit code.
    /// </summary>
    public static async Task<int> SealAsync(TextWriter output, Uri baseUrl, string dataset, string tokenFile, string adminKeyFile, string recipient)
    {
        using var http = Bearer(await ReadSecretAsync(tokenFile));
        using var admin = Bearer(await ReadSecretAsync(adminKeyFile));
        var buffer = new byte[BufferSize];

        // The operator's connection is open (and its code warm) before the stream starts, so the timing below is the
        // seal's, not a TCP handshake's or the JIT's.
        using (var warm = await admin.GetAsync(new Uri(baseUrl, "/v1/access-review")))
        {
            warm.EnsureSuccessStatusCode();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"/v1/datasets/{Uri.EscapeDataString(dataset)}/rows"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            output.WriteLine($"error: the gateway answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return 1;
        }

        long bytes = 0;
        long bytesAtSeal = 0;
        long sealSent = 0;
        Task<HttpResponseMessage>? seal = null;
        using var sealContent = new StringContent("{\"reason\":\"http benchmark: seal to enforcement\"}", Encoding.UTF8, "application/json");
        var endedAbruptly = false;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    bytes += read;
                    if (seal is null && bytes >= SealAfterBytes)
                    {
                        bytesAtSeal = bytes;
                        sealSent = Stopwatch.GetTimestamp();
                        seal = admin.PostAsync(new Uri(baseUrl, $"/v1/recipients/{Uri.EscapeDataString(recipient)}/seal"), sealContent);
                    }
                }
            }
            catch (IOException)
            {
                // Expected: the gateway aborts a sealed stream so it cannot pass for a complete one.
                endedAbruptly = true;
            }
        }

        var stopSeen = sealSent == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(sealSent);
        if (seal is null)
        {
            output.WriteLine($"error: the stream ended after {bytes} bytes, before the probe sealed at {SealAfterBytes} bytes: import more rows");
            return 1;
        }

        using var sealResponse = await seal;
        var sealAnswered = Stopwatch.GetElapsedTime(sealSent);
        var sealBody = JsonNode.Parse(await sealResponse.Content.ReadAsStringAsync());
        if (!sealResponse.IsSuccessStatusCode)
        {
            output.WriteLine($"error: the seal answered {(int)sealResponse.StatusCode}: {sealBody?.ToJsonString()}");
            return 1;
        }

        output.WriteLine(
            $"enforcement_ms={sealBody?["enforcementMilliseconds"]?.GetValue<double>():F2} client_stream_stop_ms={stopSeen.TotalMilliseconds:F2} " +
            $"seal_response_ms={sealAnswered.TotalMilliseconds:F2} streams_stopped={sealBody?["streamsStopped"]} tokens_revoked={sealBody?["tokensRevoked"]} " +
            $"bytes_at_seal={bytesAtSeal} bytes_after_seal={bytes - bytesAtSeal} ended_abruptly={(endedAbruptly ? "yes" : "no")}");
        if (!endedAbruptly)
        {
            output.WriteLine("error: the stream ended normally: it completed before the seal reached it (import more rows)");
            return 1;
        }

        return 0;
    }

    private static HttpClient Bearer(string secret)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    private static async Task<string> ReadSecretAsync(string path) => (await File.ReadAllTextAsync(path)).Trim();

    // The receipt is stored once the gateway has logged the egress entry, just after the last byte: retry briefly.
    private static async Task<JsonNode?> ReadReceiptAsync(HttpClient http, Uri url)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(100);
        }

        return null;
    }
}
