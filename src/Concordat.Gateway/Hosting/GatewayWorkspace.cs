using System.Security.Cryptography;
using Concordat.Crypto;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// The workspace folder of a gateway: the operator's log key, the provider's pseudonymisation master key and the
/// operator's administrative key, each secret in a file only its owner can read; and the store's files when the
/// host chose the SQLite engine.
/// </summary>
/// <remarks>
/// Secrets are read from their files and held in memory; they MUST NOT be logged, returned by the API or written
/// to the transparency log.
/// </remarks>
public sealed class GatewayWorkspace
{
    /// <summary>The log signer key file name (C2SP note signer key).</summary>
    public const string LogKeyFileName = "log.key";

    /// <summary>The log verifier key file name.</summary>
    public const string LogPublicKeyFileName = "log.pub";

    /// <summary>The pseudonymisation master key file name (32 random bytes, base64).</summary>
    public const string PseudonymKeyFileName = "pseudonym.key";

    /// <summary>The administrative bearer key file name.</summary>
    public const string AdminKeyFileName = "admin.key";

    /// <summary>The trusted-keys file name: the keys the operator pins for each signer (lines <c>signer-id verifier-key</c>).</summary>
    public const string TrustedKeysFileName = "trusted-keys";

    /// <summary>
    /// The provider's attestation signer key file name (C2SP note signer key, as <c>concordat key new</c> writes it);
    /// optional: without it the log key signs the gateway's attestations.
    /// </summary>
    internal const string ProviderKeyFileName = "provider.key";

    /// <summary>The prefix of an administrative key.</summary>
    public const string AdminKeyPrefix = "cda_";

    private GatewayWorkspace(string directory, NoteSignerKey logKey, NoteSignerKey? providerKey, byte[] pseudonymKey, string adminKey)
    {
        Directory = directory;
        LogKey = logKey;
        ProviderKey = providerKey;
        PseudonymKey = pseudonymKey;
        AdminKeyHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(adminKey));
    }

    /// <summary>Gets the workspace folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of the administrative key file, which operator commands read.</summary>
    public string AdminKeyPath => Path.Combine(Directory, AdminKeyFileName);

    /// <summary>Gets the log origin: the name of the log key.</summary>
    public string LogOrigin => LogKey.Name;

    /// <summary>Gets the path of the trusted-keys file.</summary>
    public string TrustedKeysPath => Path.Combine(Directory, TrustedKeysFileName);

    internal NoteSignerKey LogKey { get; }

    /// <summary>Gets the provider's attestation key, when the workspace holds one (<see cref="ProviderKeyFileName"/>).</summary>
    internal NoteSignerKey? ProviderKey { get; }

    /// <summary>Gets the key the gateway signs attestations with: the provider's, or the log key when there is none.</summary>
    internal NoteSignerKey AttestationKey => ProviderKey ?? LogKey;

    internal byte[] PseudonymKey { get; }

    internal byte[] AdminKeyHash { get; }

    /// <summary>Opens the workspace at <paramref name="directory"/>, creating the folder and any missing key.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="logOrigin">The log origin used when a new log key is made, such as <c>concordat.example/log</c>.</param>
    /// <returns>The workspace.</returns>
    /// <exception cref="IOException">A key file cannot be read or written.</exception>
    /// <exception cref="InvalidDataException">A key file is malformed.</exception>
    public static GatewayWorkspace OpenOrCreate(string directory, string logOrigin = "concordat.local/log")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var logKeyPath = Path.Combine(full, LogKeyFileName);
        if (!File.Exists(logKeyPath))
        {
            var key = Ed25519PrivateKey.Generate();
            SecretFile.WriteNew(logKeyPath, NoteKey.FormatSignerKey(logOrigin, key) + "\n");
            File.WriteAllText(Path.Combine(full, LogPublicKeyFileName), NoteKey.FormatVerifierKey(logOrigin, key.PublicKey) + "\n");
        }

        var pseudonymPath = Path.Combine(full, PseudonymKeyFileName);
        if (!File.Exists(pseudonymPath))
        {
            SecretFile.WriteNew(pseudonymPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        }

        var adminPath = Path.Combine(full, AdminKeyFileName);
        if (!File.Exists(adminPath))
        {
            SecretFile.WriteNew(adminPath, AdminKeyPrefix + Security.Secrets.NewRandomText() + "\n");
        }

        if (!NoteKey.TryParseSignerKey(File.ReadAllText(logKeyPath).Trim(), out var logKey, out var error))
        {
            // Security: the message names the file, never its content.
            throw new InvalidDataException($"log key file `{logKeyPath}` is malformed: {error}");
        }

        NoteSignerKey? providerKey = null;
        var providerKeyPath = Path.Combine(full, ProviderKeyFileName);
        if (File.Exists(providerKeyPath) && !NoteKey.TryParseSignerKey(File.ReadAllText(providerKeyPath).Trim(), out providerKey, out var providerError))
        {
            // Security: the message names the file, never its content.
            throw new InvalidDataException($"provider key file `{providerKeyPath}` is malformed: {providerError}");
        }

        byte[] pseudonymKey;
        try
        {
            pseudonymKey = Convert.FromBase64String(File.ReadAllText(pseudonymPath).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"pseudonymisation key file `{pseudonymPath}` is not base64");
        }

        if (pseudonymKey.Length < 32)
        {
            throw new InvalidDataException($"pseudonymisation key file `{pseudonymPath}` holds fewer than 32 bytes");
        }

        return new GatewayWorkspace(full, logKey, providerKey, pseudonymKey, File.ReadAllText(adminPath).Trim());
    }

    /// <summary>Reads the administrative key of the workspace at <paramref name="directory"/>, for operator commands.</summary>
    /// <param name="directory">The workspace folder.</param>
    /// <returns>The key, or <see langword="null"/> when the file does not exist.</returns>
    public static string? ReadAdminKey(string directory)
    {
        var path = Path.Combine(directory, AdminKeyFileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Reads the trusted-keys file, or nothing when there is none.</summary>
    internal string ReadTrustedKeys() => File.Exists(TrustedKeysPath) ? File.ReadAllText(TrustedKeysPath) : string.Empty;
}
