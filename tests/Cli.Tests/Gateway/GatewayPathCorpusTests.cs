using System.Text;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>
/// Traversal and malformed request targets, sent byte for byte: each must be refused or missed
/// (301, 400 or 404), never a server error, and never answered with content outside the root
/// asked for (a sibling "secret" next to the public directory, or any file on the machine).
/// </summary>
public sealed class GatewayPathCorpusTests : IAsyncLifetime
{
    private const string Secret = "SECRET-SIBLING-CONTENT";

    private GatewayNode _gw = null!;
    private Cid _public = null!;
    private Cid _file = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayNode.StartAsync();
        _file = await _gw.AddAsync("public file\n");
        _public = await _gw.DirectoryAsync(("a.txt", _file), ("sub", await _gw.DirectoryAsync(("b.txt", _file))));
        var secret = await _gw.AddAsync(Secret);
        // The parent holds the public directory and, beside it, the secret.
        await _gw.DirectoryAsync(("public", _public), ("secret.txt", secret), ("passwd", secret));
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private IEnumerable<string> Corpus()
    {
        var p = _public.ToString();
        var f = _file.ToString();
        return
        [
            "/ipfs/../etc/passwd",
            "/ipfs/%2e%2e/etc/passwd",
            "/ipfs/%2E%2E/%2E%2E/etc/passwd",
            $"/ipfs/{p}/../secret.txt",
            $"/ipfs/{p}/%2e%2e/secret.txt",
            $"/ipfs/{p}/.%2e/secret.txt",
            $"/ipfs/{p}/%2e./secret.txt",
            $"/ipfs/{p}/sub/../../secret.txt",
            $"/ipfs/{p}/sub/%2e%2e/%2e%2e/passwd",
            $"/ipfs/{p}/./a.txt",
            $"/ipfs/{p}/%2e/a.txt",
            $"/ipfs/{p}/..",
            $"/ipfs/{p}/..%2F..%2Fsecret.txt",
            $"/ipfs/{p}/sub%2F..%2F..%2Fsecret.txt",
            $"/ipfs/{p}/sub%2fb.txt",
            $"/ipfs/{p}/..%5C..%5Csecret.txt",
            $"/ipfs/{p}/sub%5cb.txt",
            $"/ipfs/{p}/a.txt%00",
            $"/ipfs/{p}/a.txt%00.png",
            $"/ipfs/{p}/%00",
            $"/ipfs/{p}/a%0d%0aX-Injected:%20yes",
            $"/ipfs/{p}/a%0aX",
            $"/ipfs/{p}/%c0%ae%c0%ae/secret.txt",
            $"/ipfs/{p}/%c0%af",
            $"/ipfs/{p}/%e0%80%ae%e0%80%ae/secret.txt",
            $"/ipfs/{p}/%ff%fe",
            $"/ipfs/{p}/%",
            $"/ipfs/{p}/%2",
            $"/ipfs/{p}/%zz",
            $"/ipfs/{p}/%%32%65%%32%65/secret.txt",
            $"/ipfs/{p}/%252e%252e/secret.txt",
            $"/ipfs/{p}/%EF%BC%8E%EF%BC%8E/secret.txt",
            $"/ipfs/{p}/%E2%80%AE%E2%80%AD/a.txt",
            $"/ipfs/{p}/%E2%88%95secret.txt",
            $"/ipfs/{p}/%EF%BC%8Fsecret.txt",
            $"/ipfs/{p}//a.txt",
            $"/ipfs/{p}///secret.txt",
            $"/ipfs/{p}/" + new string('a', 1500),
            $"/ipfs/{p}/" + string.Join('/', Enumerable.Repeat("x", 80)),
            $"/ipfs/{p}/" + new string('b', 4500),
            $"/ipfs/{p}/a.txt/..",
            $"/ipfs/{f}/a.txt",
            "/ipfs/",
            "/ipfs",
            "/ipfs//",
            "/ipfs/notacid",
            "/ipfs/bafy",
            "/ipfs/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "/ipfs/Qm" + new string('1', 44),
            "/ipfs/" + p.ToUpperInvariant(),
            "/ipfs/" + p[..^3],
            "/ipfs/" + p + "x",
            "/ipfs/%62afy" + p[4..],
            "/ipfs/!" + p,
            "/ipfs/f" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes("garbage")),
            "/ipfs/u" + new string('-', 40),
            "/ipns/../ipfs/" + p,
            "/ipns/notaname",
            "/ipns/example.com",
            "/ipns/%2e%2e",
            "/ipns/k51" + new string('q', 59),
            "/..",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/etc/passwd",
            "/ipfs/..%2f..%2fetc%2fpasswd",
            "/IPFS/" + p + "/a.txt",
            "/ipfs\\..\\etc\\passwd",
            $"/ipfs/{p}\\..\\secret.txt",
        ];
    }

    [Fact]
    public async Task Every_traversal_or_malformed_path_is_301_400_or_404_and_never_leaks()
    {
        var corpus = Corpus().ToList();
        Assert.True(corpus.Count >= 50, $"{corpus.Count} paths");
        foreach (var target in corpus)
        {
            var response = await _gw.SendRawAsync(target);
            Assert.True(response.Status is 301 or 400 or 404, $"{target} -> {response.Status}: {Encoding.UTF8.GetString(response.Body)}");
            var body = Encoding.Latin1.GetString(response.Body);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x:0:0", body, StringComparison.Ordinal);
            Assert.False(response.Headers.ContainsKey("x-injected"), target);
            if (response.Status == 301)
            {
                // Only ever to the same root with a trailing slash.
                var location = response.Headers["location"];
                Assert.StartsWith("/ipfs/", location, StringComparison.Ordinal);
                Assert.Contains(_public.ToString(), location, StringComparison.OrdinalIgnoreCase);
                Assert.EndsWith("/", location, StringComparison.Ordinal);
            }
        }
        // The daemon is still up and still serves what it should.
        var ok = await _gw.SendRawAsync($"/ipfs/{_public}/sub/b.txt");
        Assert.Equal(200, ok.Status);
        Assert.Equal("public file\n", Encoding.UTF8.GetString(ok.Body));
        using var metrics = await _gw.Http.GetAsync("/metrics");
        Assert.DoesNotContain("code=\"500\"", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
