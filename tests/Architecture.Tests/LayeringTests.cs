using System.Reflection;

namespace Overlay.Architecture.Tests;

/// <summary>The reference graph of BRIEF §2: the dependency direction never reverses.</summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        ["Overlay.Manifest"] = [],
        ["Overlay"] = ["Overlay.Manifest"],
        ["Overlay.Bridge"] = ["Overlay.Manifest"],
        ["Overlay.Gateway"] = ["Overlay", "Overlay.Manifest"],
        ["Overlay.Cli"] = ["Overlay", "Overlay.Manifest", "Overlay.Bridge", "Overlay.Gateway"],
    };

    private static readonly string[] OurAssemblies = [.. AllowedProjectReferences.Keys];

    public static TheoryData<string> Assemblies() => new(OurAssemblies);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Assembly_references_only_the_layers_below_it(string name)
    {
        var assembly = Assembly.Load(name);
        var ours = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => OurAssemblies.Contains(n))
            .ToArray();
        var forbidden = ours.Except(AllowedProjectReferences[name]).ToArray();
        Assert.True(forbidden.Length == 0, $"{name} must not reference {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Manifest_uses_only_the_base_library_and_the_crypto_package()
    {
        var references = Assembly.Load("Overlay.Manifest").GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        var outside = references.Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n is "netstandard" or "mscorlib" or "BouncyCastle.Crypto")).ToArray();
        Assert.True(outside.Length == 0, $"Overlay.Manifest references {string.Join(", ", outside)}");
    }

    [Fact]
    public void Project_files_declare_the_same_graph()
    {
        var root = FindRepositoryRoot();
        var projects = new Dictionary<string, string>
        {
            ["Overlay.Manifest"] = "src/Manifest/Overlay.Manifest.csproj",
            ["Overlay"] = "src/Overlay/Overlay.csproj",
            ["Overlay.Bridge"] = "src/Bridge/Overlay.Bridge.csproj",
            ["Overlay.Gateway"] = "src/Gateway/Overlay.Gateway.csproj",
            ["Overlay.Cli"] = "src/Cli/Overlay.Cli.csproj",
        };
        var assemblyOfFile = projects.ToDictionary(p => Path.GetFileName(p.Value), p => p.Key);
        foreach (var (assembly, path) in projects)
        {
            var text = File.ReadAllText(Path.Combine(root, path));
            var referenced = System.Text.RegularExpressions.Regex.Matches(text, "ProjectReference Include=\"[^\"]*/([^/\"]+\\.csproj)\"")
                .Select(m => assemblyOfFile[m.Groups[1].Value])
                .ToArray();
            var forbidden = referenced.Except(AllowedProjectReferences[assembly]).ToArray();
            Assert.True(forbidden.Length == 0, $"{path} must not reference {string.Join(", ", forbidden)}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Overlay.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Overlay.sln not found above the test directory");
    }
}
