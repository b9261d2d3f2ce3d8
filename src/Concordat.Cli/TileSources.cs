using System.Net;
using Concordat.Tiles;

namespace Concordat.Cli;

/// <summary>
/// Where <c>log verify --url</c> reads a tiled log from: a gateway (or any tlog-tiles server) over HTTP, or a folder
/// that <c>log export --tiles</c> wrote. Neither is trusted: the tile verifier checks every byte.
/// </summary>
internal static class TileSources
{
    /// <summary>The file name of the checkpoint below a tiled log's prefix.</summary>
    public const string CheckpointName = "checkpoint";

    /// <summary>Opens the source <paramref name="location"/> names: an http(s) URL prefix, or a folder.</summary>
    public static bool TryOpen(string location, out ITileSource? source, out string? error)
    {
        source = null;
        error = null;
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            source = new HttpTileSource(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"));
            return true;
        }

        if (Directory.Exists(location))
        {
            source = new FolderTileSource(Path.GetFullPath(location));
            return true;
        }

        error = $"`{location}` is neither an http(s) URL nor a folder";
        return false;
    }

    /// <summary>A tiled log over HTTP; 404 is a missing tile, any other failure an <see cref="IOException"/>.</summary>
    private sealed class HttpTileSource(Uri prefix) : ITileSource, IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = prefix, Timeout = TimeSpan.FromSeconds(60) };

        public async Task<byte[]> ReadCheckpointAsync(CancellationToken cancellationToken) =>
            await GetAsync(CheckpointName, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"`{new Uri(prefix, CheckpointName)}` answered 404: no checkpoint is served there");

        public Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken) => GetAsync(tile.ToPath(), cancellationToken);

        public void Dispose() => _http.Dispose();

        private async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new IOException($"`{new Uri(prefix, path)}` answered {(int)response.StatusCode}");
                }

                return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new IOException($"`{new Uri(prefix, path)}`: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"`{new Uri(prefix, path)}` did not answer in time", ex);
            }
        }
    }

    /// <summary>A folder of tiles as <c>log export --tiles</c> writes it, the files named by their tile paths.</summary>
    private sealed class FolderTileSource(string folder) : ITileSource
    {
        public async Task<byte[]> ReadCheckpointAsync(CancellationToken cancellationToken) =>
            await ReadAsync(CheckpointName, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"`{Path.Combine(folder, CheckpointName)}` does not exist: not a folder `log export --tiles` wrote");

        public Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken) => ReadAsync(tile.ToPath(), cancellationToken);

        private async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
        {
            var file = Path.Combine(folder, path);
            return File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false) : null;
        }
    }
}
