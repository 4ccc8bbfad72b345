// Spec: specs/sync.md §5 (what a pushed bundle must pass), the follower's checks of specs/stream-protocol.md §5.
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Streams.Sync;

/// <summary>
/// Checks bundle <c>seq</c> under a verified head as a follower does, reading every block through
/// the given store: the page-tree path against the signed root, the bundle block against its leaf
/// CID, the stream key's signature, the lifetime at <c>now</c>, the inclusion proof, and the
/// payload's UnixFS blocks against their CIDs and the signed size.
/// </summary>
internal static class BundleVerifier
{
    /// <exception cref="BundleRefusedException">A check failed, or a block is not there (<see cref="SyncRejection.Missing"/>); its reason is the stage.</exception>
    public static async Task<SignedBundle> VerifyAsync(IBlockStore store, SignedTreeHead head, long seq, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (seq < 0 || seq >= head.Head.Size)
        {
            throw new BundleRefusedException(SyncRejection.NoHead, $"leaf {seq} is outside the head of size {head.Head.Size}");
        }
        var stage = SyncRejection.Bundle;
        try
        {
            var reader = new StreamManifestReader(store, head);
            var leaf = await reader.GetLeafAsync(seq, cancellationToken).ConfigureAwait(false);
            var bytes = await VerifyingBlockStore.GetVerifiedAsync(store, leaf, cancellationToken).ConfigureAwait(false);
            stage = SyncRejection.Signature;
            var bundle = SignedBundle.Decode(bytes.Span, head.Head.Stream);
            stage = SyncRejection.Inclusion;
            head.VerifyInclusion(bundle, await reader.ProveInclusionAsync(seq, cancellationToken).ConfigureAwait(false));
            // After inclusion, so an expired refusal is about a real leaf of the stream (the follower records it).
            if (bundle.Bundle.IsExpired(now) || bundle.Bundle.Created > now + StreamLimits.MaxClockSkew)
            {
                throw new BundleRefusedException(SyncRejection.Expired, $"bundle {seq} lives from {bundle.Bundle.Created:O} to {bundle.Bundle.Expires:O}, outside now {now:O}");
            }
            stage = SyncRejection.Payload;
            var length = 0L;
            await foreach (var chunk in new UnixFsReader(new VerifyingBlockStore(store)).ReadAsync(bundle.Bundle.Payload, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                length += chunk.Length;
                if (length > bundle.Bundle.Size)
                {
                    break;
                }
            }
            if (length != bundle.Bundle.Size)
            {
                throw new VerificationException($"payload {bundle.Bundle.Payload} has {length} bytes, the bundle signs {bundle.Bundle.Size}");
            }
            return bundle;
        }
        catch (BundleRefusedException)
        {
            throw;
        }
        catch (BlockNotFoundException e)
        {
            throw new BundleRefusedException(SyncRejection.Missing, $"bundle {seq} ({stage}): {e.Message}", e);
        }
        catch (OverlayException e)
        {
            throw new BundleRefusedException(stage, $"bundle {seq}: {e.Message}", e);
        }
    }
}
