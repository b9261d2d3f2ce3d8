using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// Small, fixed socket buffers: a small send buffer on the gateway's listening socket (accepted sockets inherit it)
/// and a small receive buffer on the client. A reader that stops reading then holds the server back after a few
/// hundred KiB, so an egress stream is still under way when a seal or a revocation lands.
/// </summary>
internal static class SlowSockets
{
    private const int BufferBytes = 16 * 1024;

    /// <summary>Gives the gateway's listening socket a small send buffer (an override for <see cref="TestGateway.StartAsync"/>).</summary>
    public static void SmallSendBuffer(IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = SmallSendBufferListenSocket);

    /// <summary>A client handler whose sockets have a small receive buffer, set before connecting so the window stays small.</summary>
    public static SocketsHttpHandler SmallReceiveBufferHandler() => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = BufferBytes };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static Socket SmallSendBufferListenSocket(EndPoint endpoint)
    {
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        socket.SendBufferSize = BufferBytes;
        return socket;
    }
}
