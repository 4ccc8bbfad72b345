namespace Overlay.Manifest.Errors;

/// <summary>
/// A declared length, count or depth is past a named limit. Thrown before anything of the
/// declared size is allocated.
/// </summary>
public sealed class LimitExceededException : MalformedDataException
{
    public LimitExceededException(string format, string limitName, long limit, long declared)
        : base(format, $"{limitName} {declared} exceeds the limit of {limit}")
    {
        LimitName = limitName;
        Limit = limit;
        Declared = declared;
    }

    public string LimitName { get; }
    public long Limit { get; }
    public long Declared { get; }
}
