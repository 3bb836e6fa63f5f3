using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// A trial's examples, loaded from a <see cref="DataSpec"/>: Fashion-MNIST's two splits, or a table (whole, for
/// cross-validation, and split into standardized training and test rows for training a network).
/// </summary>
internal sealed class TrialData : IDisposable
{
    private readonly FashionMnist? _images;
    private readonly TabularDataset? _table;
    private readonly DataSpec _spec;
    private (TensorDataset Train, TensorDataset Test)? _split;

    private TrialData(DataSpec spec, FashionMnist? images, TabularDataset? table)
    {
        _spec = spec;
        _images = images;
        _table = table;
    }

    /// <summary>Examples to train on.</summary>
    public TensorDataset Train => _images?.Train ?? Split().Train;

    /// <summary>Examples to evaluate on.</summary>
    public TensorDataset Test => _images?.Test ?? Split().Test;

    /// <summary>The whole table.</summary>
    /// <exception cref="ArgumentException">The data are images.</exception>
    public TabularDataset Table => _table ?? throw new ArgumentException($"This step needs tabular data, but the trial's data are {_spec.Name}.");

    /// <summary>Loads the examples <paramref name="spec"/> describes (a CSV file relative to <paramref name="sweep"/>).</summary>
    public static TrialData Load(DataSpec spec, SweepDirectory sweep)
    {
        spec.Validate();
        var device = TorchDevice.Default;
        if (spec.IsImages)
            return new TrialData(spec, FashionMnist.Load(spec.Directory, device, limit: spec.Limit), null);
        var table = spec.Key == DataSpec.CsvName
            ? TabularCsv.Load(sweep.Resolve(spec.File!), spec.Target, spec.Classes is null ? null : true, device: device)
            : TabularDatasets.Load(spec.Key.Replace('-', '_'), device);
        return new TrialData(spec, null, spec.Classes is { } classes ? Renumbered(table, classes) : table);
    }

    /// <summary>The table with its classes numbered in <paramref name="classes"/>' order instead of the CSV reader's ordinal one.</summary>
    private static TabularDataset Renumbered(TabularDataset table, IReadOnlyList<string> classes)
    {
        using (table)
        {
            var read = table.ClassNames!;
            var unknown = read.FirstOrDefault(c => !classes.Contains(c));
            if (unknown is not null)
                throw new InvalidDataException($"The data has class '{unknown}', which is not among the spec's classes ({string.Join(", ", classes)}).");
            var map = read.Select(c => (float)classes.ToList().IndexOf(c)).ToArray();
            using var lookup = TorchSharp.torch.tensor(map, device: table.Device);
            using var indices = table.Targets.to_type(TorchSharp.torch.ScalarType.Int64);
            return new TabularDataset(table.Features.clone(), lookup.index_select(0, indices), table.FeatureNames, classes, table.Name);
        }
    }

    public void Dispose()
    {
        _images?.Dispose();
        _table?.Dispose();
        if (_split is { } split)
        {
            split.Train.Dispose();
            split.Test.Dispose();
        }
    }

    /// <summary>
    /// Holds out <see cref="DataSpec.TestFraction"/> of the rows (of each class, for class targets; seeded), and
    /// standardizes both parts with the training rows' statistics.
    /// </summary>
    private (TensorDataset Train, TensorDataset Test) Split()
    {
        if (_split is { } split)
            return split;
        var table = Table;
        if (!table.IsClassification)
            throw new ArgumentException($"Training a network needs class targets, but '{table.Name}' is a regression dataset: cross-validate a regression recipe instead.");
        var labels = table.LabelArray();
        var random = new Random(_spec.SplitSeed);
        var test = new List<long>();
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.Select(i => (long)i).ToArray();
            random.Shuffle(rows);
            test.AddRange(rows.Take((int)Math.Round(rows.Length * _spec.TestFraction, MidpointRounding.ToEven)));
        }
        var held = test.ToHashSet();
        var train = Enumerable.Range(0, labels.Length).Select(i => (long)i).Where(i => !held.Contains(i)).ToArray();
        test.Sort();
        using var trainRows = table.Rows(train);
        using var testRows = table.Rows(test);
        var scaling = new Standardizer().Fit(trainRows);
        using var trainScaled = scaling.Transform(trainRows);
        using var testScaled = scaling.Transform(testRows);
        _split = (trainScaled.ToTensorDataset(), testScaled.ToTensorDataset());
        return _split.Value;
    }
}
