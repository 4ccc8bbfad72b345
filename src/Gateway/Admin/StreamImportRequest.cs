using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Admin;

/// <summary>What to import and how to sign it.</summary>
/// <param name="Input">Absolute path of the input on the daemon's machine; for live inputs also a URL ffmpeg reads, or <c>-</c> (the request body).</param>
/// <param name="Key">The stream key.</param>
/// <param name="Title">Title signed into the head.</param>
/// <param name="Priority">Priority class of every bundle.</param>
public sealed record StreamImportRequest(string Input, Ed25519PrivateKey Key, string Title, PriorityClass Priority);
