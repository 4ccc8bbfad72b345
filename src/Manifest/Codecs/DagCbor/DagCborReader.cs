// Spec: https://ipld.io/specs/codecs/dag-cbor/spec/#strictness (a strict subset of RFC 8949 §3 and §4.2)
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// A forward-only reader over one strict dag-cbor item, shaped like System.Formats.Cbor's
/// CborReader: <see cref="PeekState"/> names the next token, a matching Read method consumes it.
/// Bytes that are not strict dag-cbor throw <see cref="MalformedDataException"/> (or
/// <see cref="LimitExceededException"/>); calling a Read method that does not match the state is
/// caller misuse and throws <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>
/// The reader enforces the whole canonical form itself (minimal heads, string-only keys in
/// length-first order without duplicates, tag 42 only, 64-bit finite floats), so a consumer that
/// walks the tokens cannot accept a non-canonical block by accident. Every open collection's
/// outstanding items each need at least one byte; their sum is kept in <c>_pending</c> and every
/// declared count or string length must fit in the bytes left after it, which bounds all
/// allocations by the input size even across nested headers.
/// </remarks>
internal ref struct DagCborReader
{
    private const string Format = "dag-cbor";

    private readonly ReadOnlySpan<byte> _data;
    private readonly DagCborLimits _limits;
    private int _position;
    private Frame[]? _frames;
    private int _depth;
    private long _pending;
    private bool _finished;

    public DagCborReader(ReadOnlySpan<byte> data, DagCborLimits? limits = null)
    {
        _data = data;
        _limits = limits ?? DagCborLimits.Default;
    }

    /// <summary>Bytes consumed so far; after the top-level item, the item's encoded length.</summary>
    public readonly int BytesConsumed => _position;

    private readonly int Remaining => _data.Length - _position;

    public readonly DagCborReaderState PeekState()
    {
        var atKey = false;
        if (_depth > 0)
        {
            ref readonly var frame = ref _frames![_depth - 1];
            if (frame.Remaining == 0)
            {
                return frame.IsMap ? DagCborReaderState.EndMap : DagCborReaderState.EndArray;
            }
            atKey = frame.IsMap && (frame.Remaining & 1) == 0;
        }
        else if (_finished)
        {
            return DagCborReaderState.Finished;
        }
        if (_position >= _data.Length)
        {
            throw Malformed("unexpected end of data");
        }
        var state = DagCborInitialByte.StateOf(_data[_position]);
        if (state == DagCborReaderState.Link && (_position + 1 >= _data.Length || _data[_position + 1] != 0x2a))
        {
            throw Malformed("only tag 42 (CID), encoded as 0xd82a, is allowed");
        }
        if (atKey && state != DagCborReaderState.TextString)
        {
            throw Malformed($"map key is {state}; dag-cbor map keys must be strings");
        }
        return state;
    }

    public Int128 ReadInteger()
    {
        var state = Expect(DagCborReaderState.UnsignedInteger, DagCborReaderState.NegativeInteger);
        BeginItem();
        var value = ReadHead();
        return state == DagCborReaderState.UnsignedInteger ? value : -1 - (Int128)value;
    }

    public double ReadDouble()
    {
        Expect(DagCborReaderState.Double);
        BeginItem();
        EnsureAvailable(9);
        var value = BinaryPrimitives.ReadDoubleBigEndian(_data.Slice(_position + 1, 8));
        if (!double.IsFinite(value))
        {
            throw Malformed("NaN and infinities are not part of the IPLD data model");
        }
        _position += 9;
        Completed();
        return value;
    }

    public bool ReadBoolean()
    {
        Expect(DagCborReaderState.Boolean);
        BeginItem();
        var value = _data[_position] == 0xf5;
        _position++;
        Completed();
        return value;
    }

    public void ReadNull()
    {
        Expect(DagCborReaderState.Null);
        BeginItem();
        _position++;
        Completed();
    }

    /// <summary>Reads a text string; as a map key it must sort after the previous key.</summary>
    public string ReadTextString()
    {
        Expect(DagCborReaderState.TextString);
        var isKey = _depth > 0 && _frames![_depth - 1].IsMap && (_frames[_depth - 1].Remaining & 1) == 0;
        var start = _position;
        BeginItem();
        var payload = ReadPayload();
        if (isKey)
        {
            CheckKeyOrder(start, _position - start);
        }
        if (!Utf8.IsValid(payload))
        {
            throw Malformed("text string is not valid UTF-8");
        }
        Completed();
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>A view of the byte string's content inside the input; copy it to keep it.</summary>
    public ReadOnlySpan<byte> ReadByteString()
    {
        Expect(DagCborReaderState.ByteString);
        BeginItem();
        var payload = ReadPayload();
        Completed();
        return payload;
    }

    /// <summary>Reads tag 42 and its byte string: 0x00 (identity multibase) then a binary CID.</summary>
    public Cid ReadLink()
    {
        Expect(DagCborReaderState.Link);
        BeginItem();
        _position += 2;
        if (_position >= _data.Length)
        {
            throw Malformed("unexpected end of data");
        }
        if (DagCborInitialByte.StateOf(_data[_position]) != DagCborReaderState.ByteString)
        {
            throw Malformed("tag 42 must wrap a byte string");
        }
        var payload = ReadPayload();
        if (payload.IsEmpty || payload[0] != 0x00)
        {
            throw Malformed("tag 42 bytes must start with 0x00, the identity multibase prefix");
        }
        Cid cid;
        try
        {
            cid = Cid.Decode(payload[1..]);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(Format, $"tag 42 holds an invalid CID ({e.Message})", e);
        }
        Completed();
        return cid;
    }

    /// <summary>Reads an array head and returns its item count.</summary>
    public int ReadStartArray()
    {
        Expect(DagCborReaderState.StartArray);
        return StartCollection(isMap: false);
    }

    /// <summary>Reads a map head and returns its entry count.</summary>
    public int ReadStartMap()
    {
        Expect(DagCborReaderState.StartMap);
        return StartCollection(isMap: true);
    }

    public void ReadEndArray()
    {
        Expect(DagCborReaderState.EndArray);
        EndCollection();
    }

    public void ReadEndMap()
    {
        Expect(DagCborReaderState.EndMap);
        EndCollection();
    }

    private readonly DagCborReaderState Expect(DagCborReaderState expected, DagCborReaderState alternative)
    {
        var state = PeekState();
        if (state != expected && state != alternative)
        {
            throw new InvalidOperationException($"next dag-cbor token is {state}, not {expected}");
        }
        return state;
    }

    private readonly DagCborReaderState Expect(DagCborReaderState expected)
    {
        var state = PeekState();
        if (state != expected)
        {
            throw new InvalidOperationException($"next dag-cbor token is {state}, not {expected}");
        }
        return state;
    }

    /// <summary>Counts the item that starts here against the open collection.</summary>
    private void BeginItem()
    {
        if (_depth > 0)
        {
            _frames![_depth - 1].Remaining--;
            _pending--;
        }
    }

    private void Completed()
    {
        if (_depth == 0)
        {
            _finished = true;
        }
    }

    /// <summary>Reads a head (initial byte plus argument) and insists on its shortest form.</summary>
    private ulong ReadHead()
    {
        var initial = _data[_position];
        var additional = initial & 0x1f;
        if (additional < 24)
        {
            _position++;
            return (ulong)additional;
        }
        if (additional > 27)
        {
            // Callers classify the initial byte first; this guards the arithmetic below regardless.
            throw Malformed($"additional information {additional} has no argument");
        }
        var size = 1 << (additional - 24);
        EnsureAvailable(1 + size);
        var argument = _data.Slice(_position + 1, size);
        ulong value;
        ulong minimum;
        switch (size)
        {
            case 1: value = argument[0]; minimum = 24; break;
            case 2: value = BinaryPrimitives.ReadUInt16BigEndian(argument); minimum = 0x100; break;
            case 4: value = BinaryPrimitives.ReadUInt32BigEndian(argument); minimum = 0x1_0000; break;
            default: value = BinaryPrimitives.ReadUInt64BigEndian(argument); minimum = 0x1_0000_0000; break;
        }
        if (value < minimum)
        {
            throw Malformed($"{value} is not encoded in its shortest form");
        }
        _position += 1 + size;
        return value;
    }

    /// <summary>Reads a string head and slices its content after checking it fits.</summary>
    private ReadOnlySpan<byte> ReadPayload()
    {
        var declared = ReadHead();
        if (declared > (ulong)_limits.MaxStringLength)
        {
            throw new LimitExceededException(Format, "string length", _limits.MaxStringLength, ClampToLong(declared));
        }
        var length = (long)declared;
        if (length + _pending > Remaining)
        {
            throw Malformed($"string of {length} bytes declared, {Remaining} bytes left");
        }
        var payload = _data.Slice(_position, (int)length);
        _position += (int)length;
        return payload;
    }

    private int StartCollection(bool isMap)
    {
        BeginItem();
        var declared = ReadHead();
        if (_depth >= _limits.MaxDepth)
        {
            throw new LimitExceededException(Format, "nesting depth", _limits.MaxDepth, _depth + 1);
        }
        if (declared > (ulong)_limits.MaxCollectionLength)
        {
            throw new LimitExceededException(Format, isMap ? "map entries" : "list items", _limits.MaxCollectionLength, ClampToLong(declared));
        }
        var items = isMap ? 2 * (long)declared : (long)declared;
        if (items + _pending > Remaining)
        {
            throw Malformed($"{(isMap ? "map" : "list")} of {declared} {(isMap ? "entries" : "items")} declared, {Remaining} bytes left");
        }
        _frames ??= new Frame[Math.Min(_limits.MaxDepth, 8)];
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, Math.Min(_limits.MaxDepth, _frames.Length * 2));
        }
        _frames[_depth++] = new Frame { IsMap = isMap, Remaining = items };
        _pending += items;
        return (int)declared;
    }

    private void EndCollection()
    {
        _depth--;
        Completed();
    }

    private readonly void CheckKeyOrder(int start, int length)
    {
        ref var frame = ref _frames![_depth - 1];
        if (frame.LastKeyLength > 0)
        {
            var previous = _data.Slice(frame.LastKeyStart, frame.LastKeyLength);
            var current = _data.Slice(start, length);
            // Comparing whole encoded keys bytewise is RFC 7049's length-first order, because
            // the shortest-form head grows with the length.
            var order = length != previous.Length ? length.CompareTo(previous.Length) : current.SequenceCompareTo(previous);
            if (order == 0)
            {
                throw Malformed($"duplicate map key \"{Encoding.UTF8.GetString(ReadKeyText(current))}\"");
            }
            if (order < 0)
            {
                throw Malformed("map keys are not in length-first bytewise order");
            }
        }
        frame.LastKeyStart = start;
        frame.LastKeyLength = length;
    }

    private static ReadOnlySpan<byte> ReadKeyText(ReadOnlySpan<byte> encodedKey)
    {
        var additional = encodedKey[0] & 0x1f;
        return encodedKey[(additional < 24 ? 1 : 1 + (1 << (additional - 24)))..];
    }

    private readonly void EnsureAvailable(int count)
    {
        if (Remaining < count)
        {
            throw Malformed("unexpected end of data");
        }
    }

    private static long ClampToLong(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static MalformedDataException Malformed(string message) => new(Format, message);

    private struct Frame
    {
        public bool IsMap;
        public long Remaining;
        public int LastKeyStart;
        public int LastKeyLength;
    }
}
