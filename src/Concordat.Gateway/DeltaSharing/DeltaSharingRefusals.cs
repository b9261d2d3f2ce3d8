using System.Text.Json.Nodes;
using Concordat.Gateway.Problems;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// Refused credentials on the Delta Sharing routes, answered in the shapes their clients read: PROTOCOL.md's
/// <c>{errorCode, message}</c> on the protocol's operations, RFC 6749 §5.2's <c>{error, error_description}</c> at the
/// token endpoint. File URLs keep the gateway's problem details (GW6600), as docs/api.md says.
/// </summary>
internal static class DeltaSharingRefusals
{
    private const string Prefix = "/delta-sharing/";

    /// <summary>
    /// The answer to a request under <c>/delta-sharing</c> whose credential <see cref="Security.CallerResolver"/> refused
    /// (already logged); null for every other route, which answers the problem.
    /// </summary>
    public static IResult? For(HttpContext context, ProblemCode failure, string detail)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(FileUrl.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // The gateway's code stays in the message, so the refusal can be looked up in docs/errors.md.
        var message = $"{detail} ({failure.Code})";
        if (path.StartsWith(Prefix + "oauth/", StringComparison.OrdinalIgnoreCase))
        {
            // Spec: RFC 6749 §5.2: a client that fails to authenticate is `invalid_client`.
            return OAuth(failure.Status, "invalid_client", message);
        }

        return Protocol(failure.Status == StatusCodes.Status403Forbidden ? "PERMISSION_DENIED" : "UNAUTHENTICATED", message, failure.Status);
    }

    /// <summary>RFC 6749 §5.2's error body.</summary>
    public static IResult OAuth(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    /// <summary>PROTOCOL.md's error body.</summary>
    public static IResult Protocol(string errorCode, string message, int status) =>
        Results.Json(new JsonObject { ["errorCode"] = errorCode, ["message"] = message }, statusCode: status);
}
