using Concordat.Gateway.Problems;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Concordat.Gateway.Security;

/// <summary>
/// The <c>WWW-Authenticate</c> challenges of a 401 (RFC 9110 §11.6.1): every 401 names the schemes that would work,
/// and a refused bearer token says <c>invalid_token</c> (RFC 6750 §3.1).
/// </summary>
internal static class Challenges
{
    private const string Realm = "realm=\"concordat\"";
    private static readonly StringValues s_anyScheme = new([$"Bearer {Realm}", $"Basic {Realm}"]);
    private static readonly StringValues s_invalidToken = new($"Bearer {Realm}, error=\"invalid_token\"");
    private static readonly StringValues s_basic = new($"Basic {Realm}");

    /// <summary>Adds the challenge for a refusal with <paramref name="code"/>, when it is a 401.</summary>
    public static void Add(HttpContext context, ProblemCode code)
    {
        if (code.Status != StatusCodes.Status401Unauthorized)
        {
            return;
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = code == ProblemCode.BadClientCredentials ? s_basic
            : code == ProblemCode.TokenExpired || code == ProblemCode.TokenRevoked || context.Request.Headers.Authorization.Count > 0 ? s_invalidToken
            : s_anyScheme;
    }
}
