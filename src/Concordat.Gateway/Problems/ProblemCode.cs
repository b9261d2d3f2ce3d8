namespace Concordat.Gateway.Problems;

/// <summary>
/// A stable gateway error code with its HTTP status and title; documented in docs/errors.md.
/// </summary>
/// <param name="Code">The code, such as <c>GW6001</c>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Title">The short, fixed title.</param>
internal sealed record ProblemCode(string Code, int Status, string Title)
{
    #region GW6xxx codes (stable; docs/errors.md)
    public static readonly ProblemCode Unauthenticated = new("GW6001", 401, "authentication required");
    public static readonly ProblemCode BadClientCredentials = new("GW6002", 401, "client credentials not accepted");
    public static readonly ProblemCode TokenExpired = new("GW6003", 401, "token expired");
    public static readonly ProblemCode TokenRevoked = new("GW6004", 401, "token revoked");
    public static readonly ProblemCode RecipientSealed = new("GW6005", 403, "recipient sealed");
    public static readonly ProblemCode Denied = new("GW6006", 403, "request denied");
    public static readonly ProblemCode WrongDataset = new("GW6007", 403, "token not valid for this dataset");
    public static readonly ProblemCode RoleForbids = new("GW6008", 403, "identity role does not allow this action");
    public static readonly ProblemCode AgreementChanged = new("GW6009", 403, "agreement changed since the token was issued");
    public static readonly ProblemCode RateLimited = new("GW6010", 429, "rate limit reached");
    public static readonly ProblemCode LogPushback = new("GW6011", 503, "transparency log busy");
    public static readonly ProblemCode BodyTooLarge = new("GW6012", 413, "request body too large");
    public static readonly ProblemCode InvalidRequest = new("GW6013", 400, "invalid request");
    public static readonly ProblemCode NotFound = new("GW6014", 404, "not found");
    public static readonly ProblemCode AgreementRejected = new("GW6015", 422, "agreement not enforceable");
    public static readonly ProblemCode ImportRejected = new("GW6016", 422, "dataset import rejected");
    public static readonly ProblemCode OperatorRequired = new("GW6017", 403, "operator key required");
    public static readonly ProblemCode InvalidId = new("GW6018", 400, "invalid id");
    public static readonly ProblemCode NotAcceptable = new("GW6019", 406, "no acceptable representation");
    public static readonly ProblemCode Conflict = new("GW6020", 409, "conflict");
    public static readonly ProblemCode Unavailable = new("GW6021", 503, "dependency not available");
    public static readonly ProblemCode Internal = new("GW6022", 500, "internal error");
    public static readonly ProblemCode UnsupportedMediaType = new("GW6023", 415, "unsupported media type");
    #endregion

    /// <summary>Finds the code that goes with a status the framework produced on its own.</summary>
    public static ProblemCode ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthenticated,
        404 => NotFound,
        405 => InvalidRequest,
        406 => NotAcceptable,
        413 => BodyTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Unavailable,
        _ => Internal,
    };
}
