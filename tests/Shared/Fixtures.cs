namespace Overlay.Tests.Shared;

/// <summary>Locates fixture files copied next to the test assembly from <c>tests/fixtures</c>.</summary>
internal static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static byte[] ReadBytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));
}
