using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class TradeoffMagicTests : KernelTestBase, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-tradeoff-magic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Tradeoff_runs_the_study_in_worker_processes_shows_progress_then_the_curves_and_stores_the_result()
    {
        var result = await Kernel.SendAsync(new SubmitCode(
            $"#!tradeoff model --data fashion-mnist --limit 200 --sparsities 0.8 --seeds 1 --batch-size 64 --workers 2 --sweep-dir {_folder} --result study"));

        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failure is null, failure?.Message);
        var shown = result.Events.OfType<DisplayedValueProduced>().Select(d => System.Net.WebUtility.HtmlDecode(d.FormattedValues.Single(v => v.MimeType == "text/html").Value)).ToList();
        Assert.Contains("local pool (2 workers × 1 thread)", shown[0]);               // the live progress
        Assert.Contains("\"error_y\"", shown[^1]);                                      // the curves with error bars
        Assert.Contains("Accuracy vs compression", shown[^1]);
        var study = Variable<TradeoffResult>("study");
        Assert.Equal(["l1", "random"], study.Criteria);
        Assert.Empty(study.Failures);
        Assert.All(study.Trials, t => Assert.Equal(61_706 - (long)Math.Round(0.8 * 61_470), t.NonzeroParameters));
        Assert.True(File.Exists(Path.Combine(_folder, "dense.bin")));
    }

    [Theory]
    [InlineData("--backend kubernetes", "Unknown --backend 'kubernetes': expected local or slurm.")]
    [InlineData("--workers 0", "Workers must be at least 1, got 0")]
    [InlineData("--seeds 0", "--seeds must be at least 1, got 0.")]
    [InlineData("--criteria bn", "--criterion bn scores whole units, not single weights")]
    public async Task Bad_tradeoff_options_fail_with_one_line(string extra, string expected)
    {
        var message = await FailureMessage($"#!tradeoff model --data fashion-mnist --sparsities 0.5 --sweep-dir {_folder} {extra}");
        Assert.Contains(expected, message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Data_and_models_worker_processes_cannot_load_are_refused_saying_what_to_pass()
    {
        Assert.Contains("worker processes load their data by name, so pass a FashionMnist variable or fashion-mnist",
            await FailureMessage("#!tradeoff model --data samples --sparsities 0.5"));
        Assert.Contains("Worker processes rebuild models by name, and Sequential is not a built-in architecture",
            await FailureMessage($"#!tradeoff convnet --data fashion-mnist --sparsities 0.5 --sweep-dir {_folder}"));
        Assert.Contains("--model 'alexnet' is neither a C# variable nor a built-in model",
            await FailureMessage("#!tradeoff alexnet --data fashion-mnist --sparsities 0.5"));
    }
}
