using System.Text.Json.Nodes;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Tests;

public sealed class SweepDirectoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prunenotebook-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Dir(string name = "sweep") => Path.Combine(_folder, name);

    [Fact]
    public void A_spec_round_trips_through_sweep_json_stamped_with_this_version()
    {
        var spec = SweepSpecs.Grid(SweepSpecs.LeNetPrune(0.9), SweepSpecs.WineCv(0.01));
        var sweep = SweepDirectory.Create(Dir(), spec);

        var json = JsonNode.Parse(File.ReadAllText(sweep.SpecPath))!;
        Assert.Equal(SweepSpec.CurrentVersion, (string?)json["version"]);
        Assert.Equal(1, (int?)json["format"]);
        Assert.Equal("prune", (string?)json["trials"]![0]!["steps"]![2]!["kind"]);
        Assert.Equal("l1", (string?)json["trials"]![0]!["steps"]![2]!["criterion"]);
        Assert.Equal("global", (string?)json["trials"]![0]!["steps"]![2]!["scope"]);
        Assert.Equal(0.01, (double?)json["trials"]![1]!["steps"]![0]!["parameters"]!["lr"]);

        var reopened = SweepDirectory.Open(Dir());
        var prune = Assert.IsType<PruneStep>(reopened.Spec.Trials[0].Steps[2]);
        Assert.Equal(0.9, prune.Amount.Fraction);
        Assert.Equal(0.01, Assert.IsType<CrossValidateStep>(reopened.Spec.Trials[1].Steps[0]).Parameters!["lr"]);
        Assert.Equal(2, reopened.Spec.Trials.Count);
    }

    [Theory]
    [InlineData("0.9", 0.9, null)]
    [InlineData("1.0", 1.0, null)]     // a float: everything that remains, as in PyTorch
    [InlineData("120", null, 120L)]    // an int: a count
    [InlineData("\"90%\"", 0.9, null)]
    public void Amounts_in_json_keep_pythons_meaning(string amount, double? fraction, long? count)
    {
        var file = Path.Combine(_folder, "spec.json");
        File.WriteAllText(file, $$"""
            { "name": "amounts", "trials": [ { "model": "lenet5", "data": { "name": "fashion-mnist" },
              "steps": [ { "kind": "prune", "amount": {{amount}} } ] } ] }
            """);
        var step = Assert.IsType<PruneStep>(SweepDirectory.ReadSpec(file).Trials[0].Steps[0]);
        Assert.Equal(fraction, step.Amount.Fraction);
        Assert.Equal(count, step.Amount.Count);
        Assert.Equal("local", step.Scope);    // the default scope
        Assert.Equal("l1", step.Criterion);
    }

    [Fact]
    public void Creating_the_same_sweep_again_opens_it_with_its_results()
    {
        var spec = SweepSpecs.Grid(SweepSpecs.WineCv(0.01), SweepSpecs.WineCv(0.1));
        var sweep = SweepDirectory.Create(Dir(), spec);
        sweep.WriteResult(TrialResult.Failure(1, 1, "boom", null));

        var again = SweepDirectory.Create(Dir(), spec);
        Assert.Equal(TrialState.Failed, again.StateOf(1));
        Assert.Equal(TrialState.Queued, again.StateOf(0));
        Assert.Equal([0, 1], again.Unfinished());
    }

    [Fact]
    public void A_directory_holding_another_sweep_is_refused_and_left_unchanged()
    {
        var sweep = SweepDirectory.Create(Dir(), SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        var before = File.ReadAllText(sweep.SpecPath);

        var e = Assert.Throws<InvalidDataException>(() => SweepDirectory.Create(Dir(), SweepSpecs.Grid(SweepSpecs.WineCv(0.1))));
        Assert.Contains("holds another sweep", e.Message);
        Assert.Contains("choose a new directory", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, File.ReadAllText(sweep.SpecPath));
    }

    [Fact]
    public void A_sweep_made_by_another_version_is_refused_in_one_line()
    {
        var sweep = SweepDirectory.Create(Dir(), SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        var json = JsonNode.Parse(File.ReadAllText(sweep.SpecPath))!;
        json["version"] = "9.9.9";
        File.WriteAllText(sweep.SpecPath, json.ToJsonString());

        var e = Assert.Throws<InvalidDataException>(() => SweepDirectory.Open(Dir()));
        Assert.Equal(
            $"Sweep '{sweep.Path}' was made by PruneNotebook 9.9.9 (format 1) but this is {SweepSpec.CurrentVersion} (format 1): run it with PruneNotebook 9.9.9, or start a new sweep directory.",
            e.Message);
        var spec = SweepSpecs.Grid(SweepSpecs.WineCv(0.01)) with { Version = "9.9.9" };
        Assert.Contains("was made by PruneNotebook 9.9.9", Assert.Throws<InvalidDataException>(() => SweepDirectory.Create(Dir("other"), spec)).Message);
    }

    [Fact]
    public void A_sweep_directory_that_cannot_be_written_is_refused_in_one_line()
    {
        var sweep = SweepDirectory.Create(Dir(), SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        Directory.Delete(Path.Combine(sweep.Path, "results"));
        File.WriteAllText(Path.Combine(sweep.Path, "results"), "a file where the results folder belongs");

        var e = Assert.Throws<IOException>(() => SweepDirectory.Open(Dir()));
        Assert.StartsWith($"Sweep directory '{sweep.Path}' is not writable", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("""{ "name": "x", "trials": [ { "model": "lenet5", "data": { "name": "fashion-mnist" }, "steps": [ { "kind": "shrink" } ] } ] }""", "$.trials[0].steps[0]")]
    [InlineData("""{ "name": "x", "trials": [ { "model": "lenet5", "data": { "name": "fashion-mnist" }, "steps": [ { "kind": "prune", "amout": 0.5 } ] } ] }""", "amout")]
    [InlineData("""{ "name": "x", "trials": [ { "model": "lenet5", "data": { "name": "fashion-mnist" }, "steps": [ { "kind": "prune", "amount": 1.5 } ] } ] }""", "amount=1.5 should either be a float in the range [0, 1] or a non-negative integer")]
    public void A_malformed_spec_says_where_and_what_in_one_line(string json, string expected)
    {
        var file = Path.Combine(_folder, "bad.json");
        File.WriteAllText(file, json);
        var e = Assert.Throws<InvalidDataException>(() => SweepDirectory.ReadSpec(file));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("alexnet", "Unknown model 'alexnet'")]
    [InlineData("lenet5", "Unknown --criterion 'magnitude'", "magnitude")]
    [InlineData("lenet5", "--criterion bn scores whole units", "bn")]
    public void Invalid_trials_are_refused_before_anything_is_written(string model, string expected, string criterion = "l1")
    {
        var spec = SweepSpecs.Grid(new TrialSpec(model, new DataSpec("fashion-mnist"), [new PruneStep(criterion, PruningAmount.Of(0.5))]));
        var e = Assert.Throws<ArgumentException>(() => SweepDirectory.Create(Dir(), spec));
        Assert.StartsWith("Trial 0: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.False(Directory.Exists(Dir()));
    }

    [Fact]
    public void Appending_a_wave_keeps_earlier_trials_and_results()
    {
        var sweep = SweepDirectory.Create(Dir(), SweepSpecs.Grid(SweepSpecs.WineCv(0.01)));
        sweep.WriteResult(TrialResult.Failure(0, 1, "boom", null));
        var longer = sweep.Append([SweepSpecs.WineCv(0.1) with { Wave = 1 }]);

        Assert.Equal(2, SweepDirectory.Open(Dir()).Spec.Trials.Count);
        Assert.Equal([(0, (IReadOnlyList<int>)[0]), (1, [1])], longer.Spec.Waves.Select(w => (w.Wave, w.Trials)).ToList(), new WaveComparer());
        Assert.Equal("boom", longer.ReadResult(0)!.Error);
    }

    private sealed class WaveComparer : IEqualityComparer<(int, IReadOnlyList<int>)>
    {
        public bool Equals((int, IReadOnlyList<int>) x, (int, IReadOnlyList<int>) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((int, IReadOnlyList<int>) obj) => obj.Item1;
    }
}
