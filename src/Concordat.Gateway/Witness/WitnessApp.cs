using System.Globalization;
using Concordat.Gateway.Problems;
using Concordat.Witness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Witness;

/// <summary>
/// The C2SP tlog-witness HTTP service, ready for <c>concordat witness serve</c> to host: <c>POST /add-checkpoint</c>
/// answered by a <see cref="LogWitness"/> (docs/formats/witness.md).
/// </summary>
public static class WitnessApp
{
    /// <summary>The path of the add-checkpoint call below the submission prefix (the root).</summary>
    public const string AddCheckpointPath = "/add-checkpoint";

    /// <summary>The content type of a 409 answer's body: the latest cosigned size in decimal and a newline.</summary>
    public const string SizeContentType = "text/x.tlog.size";

    // A checkpoint with a few signatures and 63 proof lines is about 4 KiB; a larger body is not a request.
    private const long MaxBodyBytes = 64 * 1024;

    private static readonly Dictionary<string, string?> s_quietFramework = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Builds the witness service.</summary>
    /// <param name="urls">Where to listen, such as <c>http://127.0.0.1:0</c>.</param>
    /// <param name="witness">The witness that answers.</param>
    /// <returns>The application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</returns>
    public static WebApplication Build(string urls, LogWitness witness)
    {
        ArgumentException.ThrowIfNullOrEmpty(urls);
        ArgumentNullException.ThrowIfNull(witness);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_quietFramework });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.Services.AddSingleton(witness);
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemWriter>();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseStatusCodePages(FrameworkRefusals.WriteAsync);
        app.MapPost(AddCheckpointPath, AddCheckpointAsync);
        app.MapErrorsApi();
        return app;
    }

    internal static async Task<IResult> AddCheckpointAsync(LogWitness witness, HttpContext context)
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException)
        {
            return Problem.Of(ProblemCode.BodyTooLarge, $"an add-checkpoint body is at most {MaxBodyBytes} bytes");
        }

        WitnessAnswer answer;
        try
        {
            answer = await witness.AddCheckpointAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            // Security: nothing was cosigned; the state's error stays on the witness, not in the answer.
            return Problem.Of(ProblemCode.WitnessStateUnavailable, "the witness cannot read or write its state; nothing was cosigned");
        }

        return answer.Outcome switch
        {
            WitnessOutcome.Cosigned => TypedResults.Text(answer.Cosignatures, "text/plain; charset=utf-8"),

            // Spec: the 409 for a stale old size carries the latest size, as text/x.tlog.size.
            WitnessOutcome.StaleOldSize => TypedResults.Text(answer.LatestSize!.Value.ToString(CultureInfo.InvariantCulture) + "\n", SizeContentType, null, StatusCodes.Status409Conflict),
            WitnessOutcome.Malformed => Problem.Of(ProblemCode.WitnessRequestMalformed, answer.Message),
            WitnessOutcome.UnknownLog => Problem.Of(ProblemCode.WitnessUnknownLog, answer.Message),
            WitnessOutcome.NotSigned => Problem.Of(ProblemCode.WitnessCheckpointNotSigned, answer.Message),
            WitnessOutcome.ProofInvalid => Problem.Of(ProblemCode.WitnessProofInvalid, answer.Message),
            _ => Problem.Of(ProblemCode.WitnessForkRefused, answer.Message),
        };
    }
}
