using System.IO.Pipelines;
using Overlay.Muxing;

namespace Overlay.Tests.Muxing;

/// <summary>What <see cref="MuxerConformanceTests{TFactory}"/> needs to know about one muxer implementation.</summary>
public interface IMuxerFactory
{
    /// <summary>A connection over <paramref name="transport"/>; the dialing side has <paramref name="isInitiator"/> set.</summary>
    IMuxedConnection Create(IDuplexPipe transport, bool isInitiator);

    /// <summary>Bytes a writer may get to a reader that does not read (the initial per-stream window).</summary>
    long InitialWindow { get; }

    /// <summary>Bytes a writer may hand to its own side before its flushes wait (beyond the window).</summary>
    long SenderBuffer { get; }

    /// <summary>Remote-opened streams a connection keeps open at once; more are refused.</summary>
    int MaxConcurrentStreams { get; }

    /// <summary>Bytes received on <paramref name="stream"/> and not yet read.</summary>
    long BufferedInboundBytes(IMuxedStream stream);

    /// <summary>True once every background task of <paramref name="connection"/> has ended.</summary>
    bool BackgroundWorkDone(IMuxedConnection connection);
}
