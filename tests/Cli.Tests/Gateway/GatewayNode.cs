using System.Net;
using System.Net.Sockets;
using System.Text;
using Overlay.Addressing;
using Overlay.Gateway;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.Repo;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>A node on a fresh repo with its gateway, both on loopback with OS-chosen ports, and an HTTP client for it.</summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    private readonly string _root;

    private GatewayNode(string root, OverlayNode node, GatewayServer gateway)
    {
        _root = root;
        Node = node;
        Gateway = gateway;
        Port = gateway.Address.ToTcpEndPoint()!.Port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Short bounds, so the timeout tests are quick; content tests never reach them.</summary>
    public static GatewayOptions ShortTimeouts { get; } = new()
    {
        FetchTimeout = TimeSpan.FromSeconds(3),
        BlockTimeout = TimeSpan.FromSeconds(2),
        NameResolveTimeout = TimeSpan.FromSeconds(2),
    };

    public OverlayNode Node { get; }

    public GatewayServer Gateway { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    public static async Task<GatewayNode> StartAsync(GatewayOptions? options = null, OverlayNodeOptions? nodeOptions = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "overlay-gw-" + Guid.NewGuid().ToString("N"));
        var key = Ed25519PrivateKey.Generate();
        var repo = OverlayRepo.Init(root, key.ToProtobuf(), key.PeerId.ToString());
        var node = await OverlayNode.StartAsync(repo, (nodeOptions ?? new OverlayNodeOptions()) with { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
        var gateway = await GatewayServer.StartAsync(node, new IPEndPoint(IPAddress.Loopback, 0), options ?? ShortTimeouts);
        return new GatewayNode(root, node, gateway);
    }

    public async Task<Cid> AddAsync(byte[] content) =>
        (await new UnixFsImporter(Node.LocalBlocks).ImportFileAsync(new MemoryStream(content))).Cid;

    public async Task<Cid> AddAsync(string text) => await AddAsync(Encoding.UTF8.GetBytes(text));

    public async Task<Cid> DirectoryAsync(params (string Name, Cid Cid)[] entries) =>
        (await new UnixFsImporter(Node.LocalBlocks).PutDirectoryAsync(entries.Select(e => new UnixFsDirectoryEntry(e.Name, e.Cid, 0)))).Cid;

    /// <summary>Connects this node to <paramref name="other"/>.</summary>
    public Task ConnectAsync(GatewayNode other) =>
        Node.Host.ConnectAsync(other.Node.Addresses.First(a => a.ToString().Contains("127.0.0.1", StringComparison.Ordinal)));

    /// <summary>
    /// One HTTP/1.1 request with the target exactly as given (HttpClient would normalise dot
    /// segments and escapes), over its own connection; returns the status, headers and body.
    /// </summary>
    public async Task<RawResponse> SendRawAsync(string target, string? host = null, string method = "GET")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {host ?? $"127.0.0.1:{Port}"}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));
        return RawResponse.Parse(received.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Node.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
