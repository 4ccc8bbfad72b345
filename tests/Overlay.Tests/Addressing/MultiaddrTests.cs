using System.Net;
using Overlay.Addressing;
using Overlay.Manifest.Errors;

namespace Overlay.Tests.Addressing;

public sealed class MultiaddrTests
{
    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/4001", "047f000001060fa1")]
    [InlineData("/ip6/::1/tcp/7778", "2900000000000000000000000000000001061e62")]
    [InlineData("/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03")]
    [InlineData("/ip4/1.2.3.4/tcp/80/p2p-circuit", "0401020304060050a202")]
    public void Text_and_binary_forms_round_trip(string text, string hex)
    {
        var address = Multiaddr.Parse(text);
        Assert.Equal(text, address.ToString());
        Assert.Equal(hex, Convert.ToHexStringLower(address.Bytes));
        Assert.Equal(address, Multiaddr.Decode(address.Bytes));
    }

    [Fact]
    public void Spec_example_binary_form()
    {
        // From the multiaddr README: /ip4/127.0.0.1/udp/1234 = 04 7f000001 91 02 04d2.
        Assert.Equal("047f000001910204d2", Convert.ToHexStringLower(Multiaddr.Parse("/ip4/127.0.0.1/udp/1234").Bytes));
    }

    [Fact]
    public void Peer_part_is_extracted_and_replaced()
    {
        var address = Multiaddr.Parse("/ip4/127.0.0.1/tcp/7778/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        Assert.Equal("0024080112202ffa35a99d3a3cfbb17bb7c1dc5561b18a8dcca4df38dc613ea859c37eb1336b", Convert.ToHexStringLower(address.PeerIdBytes!.Value.Span));
        Assert.Equal("/ip4/127.0.0.1/tcp/7778", address.WithoutPeer().ToString());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7778), address.ToTcpEndPoint());
        Assert.Equal(address, address.WithoutPeer().WithPeer(address.PeerIdBytes.Value.Span));
    }

    [Fact]
    public void Cid_form_of_a_peer_id_is_accepted()
    {
        var address = Multiaddr.Parse("/ip4/127.0.0.1/tcp/1/p2p/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        Assert.Equal("/ip4/127.0.0.1/tcp/1/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ip4/1.2.3.4")]
    [InlineData("/ip4/1.2.3")]
    [InlineData("/ip4/1.2.3.4/tcp")]
    [InlineData("/ip4/1.2.3.4/tcp/65536")]
    [InlineData("/ip4/::1")]
    [InlineData("/ip6/1.2.3.4")]
    [InlineData("/foo/1")]
    [InlineData("/p2p/notapeer")]
    [InlineData("/tcp/-1")]
    public void Malformed_text_is_rejected(string text)
    {
        Assert.ThrowsAny<MalformedDataException>(() => Multiaddr.Parse(text));
    }

    [Theory]
    [InlineData("04")]
    [InlineData("047f0000")]
    [InlineData("ff")]
    [InlineData("a503ffffffff0f")]
    [InlineData("3600")]
    public void Malformed_binary_is_rejected(string hex)
    {
        Assert.ThrowsAny<MalformedDataException>(() => Multiaddr.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Non_tcp_addresses_have_no_tcp_endpoint()
    {
        Assert.Null(Multiaddr.Parse("/ip4/1.2.3.4/udp/1/quic-v1").ToTcpEndPoint());
        Assert.Null(Multiaddr.Parse("/dns4/example.com/tcp/1").ToTcpEndPoint());
    }
}
