namespace Overlay.Manifest.Multiformats;

/// <summary>The multibase encodings we read and write; the value is the prefix character.</summary>
public enum MultibaseEncoding
{
    Base16 = 'f',
    Base16Upper = 'F',
    Base32 = 'b',
    Base32Upper = 'B',
    Base32Pad = 'c',
    Base32PadUpper = 'C',
    Base36 = 'k',
    Base36Upper = 'K',
    Base58Btc = 'z',
    Base64 = 'm',
    Base64Url = 'u',
    Base64Pad = 'M',
    Base64UrlPad = 'U',
}
