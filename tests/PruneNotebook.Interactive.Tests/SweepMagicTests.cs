using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Interactive.Tests;

[Collection(KernelCollection.Name)]
public sealed class SweepMagicTests : KernelTestBase, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-sweep-magic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<List<string>> Shown(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failure is null, failure?.Message);
        return result.Events.OfType<DisplayedValueProduced>().Select(d => System.Net.WebUtility.HtmlDecode(d.FormattedValues.Single(v => v.MimeType == "text/html").Value)).ToList();
    }

    [Fact]
    public async Task Search_with_a_backend_runs_each_configuration_in_a_worker_process()
    {
        var shown = await Shown($"#!search mlp --data wine --grid \"lr=0.01,0.1;hidden=8;epochs=3\" --folds 3 --backend local --workers 2 --sweep-dir {_folder} --result found");

        Assert.Contains("local pool (2 workers × 1 thread)", shown[0]);
        Assert.Contains("\"type\":\"parcoords\"", shown[^1]);
        var outcome = Variable<SearchOutcome>("found");
        Assert.Equal(2, outcome.Result.Trials.Count);
        Assert.EndsWith("· local pool (2 workers × 1 thread)", outcome.Result.Method);
        Assert.True(File.Exists(Path.Combine(_folder, "results", "trial-0001.json")));
    }

    [Fact]
    public async Task Sensitivity_with_a_backend_scans_each_layer_in_a_worker_process()
    {
        var shown = await Shown($"#!sensitivity model --data fashion-mnist --limit 200 --amounts 0.5,0.9 --layers conv1,fc3 --backend local --workers 2 --sweep-dir {_folder}");

        Assert.Contains("\"name\":\"conv1.weight\"", shown[^1]);
        Assert.Contains("\"name\":\"fc3.weight\"", shown[^1]);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_folder, "results")).Length);
    }

    [Fact]
    public async Task What_worker_processes_cannot_rebuild_is_refused_in_one_line()
    {
        await Kernel.SendAsync(new SubmitCode("Func<IReadOnlyDictionary<string, object>, PruneNotebook.Core.Selection.IEstimator> custom = p => new PruneNotebook.Core.Selection.Ridge(1);"));
        Assert.Contains("needs an estimator recipe by name",
            await FailureMessage($"#!search custom --data diabetes --grid \"alpha=1\" --backend local --sweep-dir {_folder}"));
        Assert.Contains("worker processes load their data by name",
            await FailureMessage("#!sensitivity model --data samples --backend local"));
        Assert.Contains("Unknown --backend 'ray': expected local or slurm.",
            await FailureMessage("#!search ridge --data diabetes --grid \"alpha=1\" --backend ray"));
    }
}
