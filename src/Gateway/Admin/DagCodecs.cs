using Overlay.Manifest.Codecs;

namespace Overlay.Gateway.Admin;

/// <summary>The codec options of <c>dag/put</c> and <c>dag/get</c>, by kubo's names (<see cref="IpldCodecs"/>).</summary>
internal static class DagCodecs
{
    /// <summary>The multicodec named by option <paramref name="option"/>, or its default.</summary>
    public static ulong Option(Microsoft.AspNetCore.Http.HttpRequest request, string option, string defaultName)
    {
        var name = ApiOptions.Text(request, option) ?? defaultName;
        return IpldCodecs.TryGetCodec(name, out var codec)
            ? codec
            : throw new ApiArgumentException($"unsupported {option} \"{name}\"; one of: {string.Join(", ", IpldCodecs.Names)}");
    }
}
