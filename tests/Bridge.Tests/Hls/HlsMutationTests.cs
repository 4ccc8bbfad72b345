using System.Text;
using Overlay.Bridge.Hls;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Tests.Hls;

/// <summary>
/// Thousands of mutated valid playlists: each parses or is refused with a
/// <see cref="MalformedDataException"/>; no other exception (IndexOutOfRange, Overflow,
/// UriFormat, Format…) may escape.
/// </summary>
public sealed class HlsMutationTests
{
    private static readonly string[] Corpus =
    [
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"700@0\"\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z\n#EXTINF:4.000,t\n#EXT-X-BYTERANGE:1000@700\nmain.mp4\n#EXT-X-DISCONTINUITY\n#EXTINF:3.5,\n#EXT-X-BYTERANGE:900\nmain.mp4\n#EXT-X-KEY:METHOD=NONE\n#EXT-X-ENDLIST\n",
        "#EXTM3U\r\n#EXT-X-PLAYLIST-TYPE:VOD\r\n#EXTINF:10,\r\nseg0.ts\r\n#EXTINF:9.9\r\nhttp://example.org/a/seg1.ts\r\n",
        "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en, 2ch\",URI=\"a/en.m3u8\",DEFAULT=YES\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS=\"avc1.4d401f,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO=\"a\"\nv0/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=640000\n../v1/index.m3u8\n",
    ];

    [Fact]
    public void Only_malformed_data_escapes()
    {
        var uri = new Uri("file:///tmp/x/index.m3u8");
        var corpus = Corpus.Select(Encoding.UTF8.GetBytes).ToArray();
        var random = new Random(0x5eed);
        var rejected = 0;
        const string Alphabet = "#:,=@\"\r\n-.0123456789xEXTINFAMPBYRG/%?\\ \u00e9";
        for (var i = 0; i < 20_000; i++)
        {
            var data = corpus[random.Next(corpus.Length)].ToList();
            for (var edits = 1 + random.Next(4); edits > 0 && data.Count > 0; edits--)
            {
                var at = random.Next(data.Count);
                switch (random.Next(5))
                {
                    case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: data.RemoveRange(at, Math.Min(random.Next(1, 12), data.Count - at)); break;
                    case 2: data.Insert(at, (byte)Alphabet[random.Next(Alphabet.Length)]); break;
                    case 3:
                        var from = random.Next(data.Count);
                        data.InsertRange(at, data.GetRange(from, Math.Min(16, data.Count - from)));
                        break;
                    default: data[at] = (byte)random.Next(256); break;
                }
            }
            try
            {
                HlsPlaylistParser.Parse(data.ToArray(), uri);
            }
            catch (MalformedDataException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} escaped for {Convert.ToBase64String(data.ToArray())}: {e}");
            }
        }
        Assert.InRange(rejected, 1, 19_999);
    }
}
