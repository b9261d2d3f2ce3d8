using Concordat.Core;

namespace Concordat.Gateway.Problems;

/// <summary>
/// A stable gateway error code with its HTTP status: the table of the GW60xx codes, with the title every problem of the
/// code carries, its meaning and fix (docs/errors.md shows the same words; <c>/errors/{code}</c> serves them).
/// </summary>
/// <param name="Code">The code, such as <c>GW6001</c>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Title">The short, fixed title: the problem's <c>title</c>.</param>
/// <param name="Meaning">What the code means.</param>
/// <param name="Fix">What a client can do about it.</param>
internal sealed record ProblemCode(string Code, int Status, string Title, string Meaning, string Fix) : ErrorCode(Code, Title, Meaning, Fix)
{
    #region GW60xx codes (stable; docs/errors.md)
    public static readonly ProblemCode Unauthenticated = new("GW6001", 401, "authentication required", "no credentials, a bearer token that is not known, or a scheme other than Bearer and Basic", "send a token from `POST /v1/tokens` as `Authorization: Bearer`, client credentials as HTTP Basic, or the operator key");
    public static readonly ProblemCode BadClientCredentials = new("GW6002", 401, "client credentials not accepted", "client id or secret wrong, or the identity revoked (same answer, so ids cannot be probed)", "check the client id and secret; a revoked identity needs a new one from the operator");
    public static readonly ProblemCode TokenExpired = new("GW6003", 401, "token expired", "the token has expired", "ask `POST /v1/tokens` for a new token");
    public static readonly ProblemCode TokenRevoked = new("GW6004", 401, "token revoked", "the token is revoked", "ask `POST /v1/tokens` for a new token, or the operator why it was revoked");
    public static readonly ProblemCode RecipientSealed = new("GW6005", 403, "recipient sealed", "the recipient is sealed", "ask the operator: only `concordat unseal` lifts a seal");
    public static readonly ProblemCode Denied = new("GW6006", 403, "request denied", "the request was decided and denied; `reasons` lists the reasons about the caller's own agreements", "read the reasons: no agreement in force permits the request as made");
    public static readonly ProblemCode WrongDataset = new("GW6007", 403, "token not valid for this dataset", "the token was issued for another dataset", "ask `POST /v1/tokens` for a token for this dataset");
    public static readonly ProblemCode AgreementChanged = new("GW6009", 403, "agreement changed since the token was issued", "the agreement in force is not the version the token was issued under", "ask `POST /v1/tokens` for a new token under the agreement in force");
    public static readonly ProblemCode RateLimited = new("GW6010", 429, "rate limit reached", "the recipient's rate limit is spent; see `Retry-After` (logged in aggregate: one entry per recipient per minute with a `count`)", "wait the seconds `Retry-After` gives");
    public static readonly ProblemCode LogPushback = new("GW6011", 503, "transparency log busy", "the transparency log cannot take the entry now; nothing was answered; see `Retry-After`", "retry after the seconds `Retry-After` gives");
    public static readonly ProblemCode BodyTooLarge = new("GW6012", 413, "request body too large", "the request body is too large", "send a smaller body; dataset imports have a larger limit of their own");
    public static readonly ProblemCode InvalidRequest = new("GW6013", 400, "invalid request", "the request is invalid", "correct the request as `detail` says; docs/api.md lists the members");
    public static readonly ProblemCode NotFound = new("GW6014", 404, "not found", "no such route, or the resource the path names does not exist", "check the path and the id");
    public static readonly ProblemCode AgreementRejected = new("GW6015", 422, "agreement not enforceable", "the agreement is not valid or not signed by every party and approver with a pinned key", "run `concordat agreement verify` with the pinned keys; `diagnostics` say what to fix");
    public static readonly ProblemCode ImportRejected = new("GW6016", 422, "dataset import rejected", "the import does not match the dataset's schema; `diagnostics` name row and column; nothing was imported", "fix the rows and columns `diagnostics` name and import again");
    public static readonly ProblemCode OperatorRequired = new("GW6017", 403, "operator key required", "an operator act without the operator key, or a wrong operator key", "send the workspace's `admin.key` as `Authorization: Bearer`");
    public static readonly ProblemCode InvalidId = new("GW6018", 400, "invalid id", "an id that is not an id (path separators, `..`, quotes, SQL metacharacters)", "use letters, digits, `.`, `_` and `-`, at most 128 characters");
    public static readonly ProblemCode NotAcceptable = new("GW6019", 406, "no acceptable representation", "neither `text/csv` nor `application/x-ndjson` is acceptable", "accept `text/csv` or `application/x-ndjson`");
    public static readonly ProblemCode Conflict = new("GW6020", 409, "conflict", "the agreement version is already stored, or older than the one in force", "give a changed agreement a new, higher version");
    public static readonly ProblemCode Unavailable = new("GW6021", 503, "dependency not available", "a dependency is not available", "retry later; the server's log names the dependency");
    public static readonly ProblemCode Internal = new("GW6022", 500, "internal error", "an unexpected error; the answer carries no details, the server's log has them under its `traceId`", "report it with the `traceId`: it is a bug or the environment failing");
    public static readonly ProblemCode UnsupportedMediaType = new("GW6023", 415, "unsupported media type", "the body's media type is not one the endpoint takes: JSON, or for an import CSV or NDJSON", "send `Content-Type: application/json`, or for an import `text/csv` or `application/x-ndjson`");
    public static readonly ProblemCode LogDamaged = new("GW6024", 503, "transparency log refuses to grow", "the transparency log's stored right edge does not match its last signed checkpoint and the entries since (LOG4113), so it takes no entry: nothing was answered, and the refusal is on the server's console, not in the damaged log", "tell the operator: the server's console names the damage, and `concordat log verify` names the first bad entry");
    public static readonly ProblemCode SealedRecipientIdentity = new("GW6040", 409, "recipient is sealed", "an identity cannot be created for a sealed recipient: unsealing revokes nothing, so it would outlive the seal", "lift the seal first (`concordat unseal`), then create the identity");
    public static readonly ProblemCode NotARecipient = new("GW6041", 422, "not a recipient", "service identities are for recipients: no agreement in force names the party with the role `recipient` (it is the provider, or a processor)", "create identities for a party an agreement in force names as a recipient");
    public static readonly ProblemCode StaleDatasetVersion = new("GW6042", 409, "dataset version does not match the agreement", "the dataset's newest imported version was imported under another schema than the agreement in force declares; no rows leave", "the operator imports a new version of the dataset under the agreement in force (`concordat dataset import`)");
    public static readonly ProblemCode TerminationRejected = new("GW6043", 422, "termination not accepted", "the termination record is malformed, is not for a version stored here, has no valid signature by a party with a pinned key, or takes effect before the agreement's notice period ends", "write the record with `concordat agreement terminate` for the version in force, signed by a party, effective no earlier than now plus `termination.noticeDays`");
    public static readonly ProblemCode DiffNotDecided = new("GW6044", 422, "diff not decided", "the two versions cannot be compared: a stored version no longer reads, or comparing them would decide more requests than a diff decides (AGR3402)", "compare the versions with `concordat agreement diff` on their files; `diagnostics` say why");
    public static readonly ProblemCode MethodNotAllowed = new("GW6030", 405, "method not allowed", "the path exists but does not take this method; `Allow` lists the methods it takes", "use a method `Allow` lists; `HEAD` works wherever `GET` does");
    public static readonly ProblemCode RequestTimeout = new("GW6031", 408, "request body too slow", "the request body came slower than the gateway's minimum data rate", "send the body at once, or over a faster connection");
    public static readonly ProblemCode UriTooLong = new("GW6032", 414, "request target too long", "the path and query are longer than the gateway takes (8 KiB)", "shorten the path and query; ids are at most 128 characters");
    public static readonly ProblemCode HeadersTooLarge = new("GW6033", 431, "request headers too large", "the request headers are larger than the gateway takes (32 KiB in all)", "send fewer or smaller headers");
    public static readonly ProblemCode IncidentNotFound = new("GW6400", 404, "incident not found", "no incident has this id; a recipient sees only the incidents that name it", "list the incidents with `GET /v1/incidents` (`concordat incident status`)");
    public static readonly ProblemCode IncidentInvalid = new("GW6401", 422, "incident request not valid", "an incident or act that cannot be recorded as given: an unknown severity or act, a missing member, an agreement not in force, a party not known, a time in the future", "correct the member `detail` names; docs/api.md lists the members of each request");
    public static readonly ProblemCode IncidentActRefused = new("GW6402", 409, "incident act refused", "the incident is closed, the act is dated before it was opened, a notification names nobody, or a seal finds no recipient to seal", "open a new incident for new work; name whom a notification was given to; affect a recipient to seal it");
    public static readonly ProblemCode SnapshotTaken = new("GW6403", 409, "forensic snapshot already taken", "an incident has one forensic snapshot, written once and immutable", "use the snapshot already taken; for a later state of the log, export the log (`concordat log export`)");
    public static readonly ProblemCode IncidentOpen = new("GW6404", 409, "incident still open", "the postmortem is written when the incident is closed", "close the incident with its root cause (`concordat incident close`), then ask again");
    public static readonly ProblemCode IncidentsUnavailable = new("GW6405", 503, "incidents not available", "the incidents could not be read from the log now; nothing was recorded", "retry; the server's log names the cause, and the next request reads the log again");
    public static readonly ProblemCode InvalidAggregateQuery = new("GW6550", 400, "invalid aggregate query", "the aggregate query is malformed or does not fit the dataset and the grant; `diagnostics` names each member at fault with its GW650x code; nothing was spent", "fix the members the diagnostics name (docs/api.md, aggregate queries)");
    public static readonly ProblemCode BudgetExceeded = new("GW6551", 403, "privacy budget exceeded", "the query would spend more than the grant's privacy budget has left in this period (or in its lifetime); `cost` and `remaining` say by how much; nothing was spent", "ask for less (a smaller `rho` or `epsilon`), or wait for the budget's next period; `?dryRun=true` prices a query without running it");
    public static readonly ProblemCode NoPrivacyBudget = new("GW6552", 403, "no privacy budget", "the grant that permits the aggregate query sets no `privacyBudget`, so no noisy answer can be accounted for", "the agreement's grant needs a `privacyBudget`: a new agreement version");
    public static readonly ProblemCode PureDpOnly = new("GW6553", 403, "mechanism not allowed by the budget", "the grant's privacy budget has δ = 0, which allows pure-DP noise only; the discrete Gaussian needs δ > 0", "query with `\"mechanism\": \"discrete-laplace\"` and an `epsilon`");
    public static readonly ProblemCode WrongTokenAction = new("GW6554", 403, "token issued for another action", "the token was issued for another action than the route's: a `read-rows` token cannot run aggregate queries, an `aggregate-query` token cannot read rows, even where the agreement grants both", "ask for a token with the route's `action` (`POST /v1/tokens`)");
    public static readonly ProblemCode InvalidRecipientTable = new("GW6555", 400, "invalid table declaration", "the upload of the caller's own table lacks `fields` (`name:type,...`) or `key`, declares a field twice or with an unknown type, or names a key that is not a declared `string` or `integer` field", "declare the table as `?key=customer_id&fields=customer_id:string,segment:string`");
    public static readonly ProblemCode TileNotFound = new("GW6700", 404, "no such tile", "the path below `/tlog/` is not a C2SP tile path (one path per tile: `x001/x234/067`, `.p/<W>` for widths 1 to 255), or the tile is not in the tree of the latest signed checkpoint", "read `/tlog/checkpoint` and ask only for the tiles its tree size holds (docs/formats/tiles.md)");
    public static readonly ProblemCode TileUnreadable = new("GW6701", 500, "tile cannot be built", "a hash or entry the tile needs is missing or malformed in the store, or an entry logged before the 65,535-byte cap is too large for an entry bundle; the other tiles are still served", "tell the operator: `concordat log verify` names the damage");
    public static readonly ProblemCode FileUrlRefused = new("GW6600", 403, "file URL refused", "a Delta Sharing file URL whose signature does not match, that has expired, or whose share token, recipient or agreement no longer allows the fetch (checked on every fetch)", "query the table again for fresh URLs; a sealed recipient or a changed agreement needs the operator");
    #endregion

    /// <summary>Finds the code that goes with a status the framework produced on its own.</summary>
    public static ProblemCode ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthenticated,
        404 => NotFound,
        405 => MethodNotAllowed,
        408 => RequestTimeout,
        414 => UriTooLong,
        431 => HeadersTooLarge,
        406 => NotAcceptable,
        413 => BodyTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Unavailable,
        _ => Internal,
    };
}
