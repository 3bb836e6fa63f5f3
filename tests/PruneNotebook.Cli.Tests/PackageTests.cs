using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PruneNotebook.Cli.Tests;

/// <summary>
/// The packages in packages-local/ (made by <c>./build.sh pack</c>), used as a user would: a throwaway console app that
/// references PruneNotebook.Core and PruneNotebook.Visualization, and the prunenotebook dotnet tool installed into a folder.
/// Packing deletes the NuGet cache's copy of these versions, so run these tests under the same lock as the packing.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private const string Program = """
        using PruneNotebook.Core.Analysis;
        using PruneNotebook.Core.Models;
        using PruneNotebook.Core.Pruning;
        using PruneNotebook.Core.Reports;
        using PruneNotebook.Core.Runtime;
        using PruneNotebook.Visualization;

        TorchNativeLibraries.EnsureLoaded();
        TorchSharp.torch.manual_seed(0);
        using var model = new LeNet5();
        var report = new PruneRequest("0.9") { Scope = "global" }.Run(model, Pruner.DefaultTargets(model));
        Console.WriteLine($"total {report.Total} zeros {report.Zeros} masked {PruningMasks.Any(model)}");
        new HtmlReport("console app").Add(SparsityReport.Create(model)).Add(SparsityMaps.Create(model)).Save(args[0]);
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-packages-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Root { get; } = FindRoot();

    private static string PackagesLocal => Path.Combine(Root, "packages-local");

    private static string Version => System.Reflection.CustomAttributeExtensions
        .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(CliApp).Assembly)!.InformationalVersion.Split('+')[0];

    [Fact]
    public void A_console_app_references_the_packed_core_and_visualization_and_prunes()
    {
        RequirePackage("PruneNotebook.Core");
        RequirePackage("PruneNotebook.Visualization");
        var app = Directory.CreateDirectory(Path.Combine(_folder, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PruneNotebook.Core" Version="{Version}" />
                <PackageReference Include="PruneNotebook.Visualization" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packages-local" value="{PackagesLocal}" />
              </packageSources>
            </configuration>
            """);
        var html = Path.Combine(_folder, "report.html");

        var (code, output, error) = Run(app, "dotnet", "run", "-c", "Release", "--", html);

        Assert.True(code == 0, output + error);
        // LeNet-5's 61,706 parameters; 90 % of its 61,470 prunable weights (every Linear and convolution weight) zeroed.
        Assert.Contains("total 61706 zeros 55323 masked True", output);
        Assert.Contains("Plotly.newPlot", File.ReadAllText(html));
        var references = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains("\"TorchSharp/0.107.0\"", references);   // Core's dependencies came with it
    }

    [Fact]
    public void The_dotnet_tool_installs_from_packages_local_and_answers_in_json()
    {
        RequirePackage("prunenotebook");
        var tools = Path.Combine(_folder, "tools");
        var (code, output, error) = Run(_folder, "dotnet", "tool", "install", "--tool-path", tools, "--add-source", PackagesLocal, "prunenotebook", "--version", Version);
        Assert.True(code == 0, output + error);

        (code, output, error) = Run(_folder, Path.Combine(tools, "prunenotebook"), "summary", "--model", "lenet5", "--output", "json");
        Assert.True(code == 0, output + error);
        var result = JsonNode.Parse(output)!["result"]!;
        Assert.Equal(61_706, (long)result["totalParameters"]!);
        Assert.Equal(416_520, (long)result["totalMacs"]!);
        Assert.False(File.Exists(Path.Combine(tools, ".store", "prunenotebook", Version, "prunenotebook", Version, "tools", "net10.0", "any", "TorchSharp.dll")));

        (code, _, error) = Run(_folder, Path.Combine(tools, "prunenotebook"), "compress", "--model", "lenet5");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains("Option '--amount' is required", error);
    }

    private static void RequirePackage(string id)
    {
        var package = Path.Combine(PackagesLocal, $"{id}.{Version}.nupkg");
        Assert.True(File.Exists(package), $"{package} is missing: run ./build.sh pack first.");
    }

    private static (int Code, string Output, string Error) Run(string directory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PruneNotebook.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no PruneNotebook.sln above {AppContext.BaseDirectory}");
    }
}
