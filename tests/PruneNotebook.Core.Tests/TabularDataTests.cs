using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class TabularDataTests
{
    private static TabularDataset Read(string csv, string target = "target", bool? classification = null) =>
        TabularCsv.Read(new StringReader(csv), target, classification, source: "test.csv");

    [Fact]
    public void The_shipped_presets_load_with_their_shapes_names_and_classes()
    {
        using var cancer = TabularDatasets.BreastCancer();
        Assert.Equal((569L, 30), (cancer.Count, cancer.FeatureCount));
        Assert.Equal("mean_radius", cancer.FeatureNames[0]);
        Assert.Equal(["benign", "malignant"], cancer.ClassNames);
        Assert.Equal(212, cancer.LabelArray().Count(l => l == 1));
        using var wine = TabularDatasets.Wine();
        Assert.Equal((178L, 13, 3), (wine.Count, wine.FeatureCount, wine.ClassNames!.Count));
        using var diabetes = TabularDatasets.Diabetes();
        Assert.False(diabetes.IsClassification);
        Assert.Equal((442L, 10), (diabetes.Count, diabetes.FeatureCount));
        Assert.Equal(151f, diabetes.Targets[0].item<float>());
        using var iris = TabularDatasets.Iris();
        Assert.Equal(150L, iris.Count);
    }

    [Fact]
    public void The_target_column_is_chosen_by_name_anywhere_in_the_row_and_quotes_are_honoured()
    {
        using var data = Read("a,label,\"b, c\"\n1,yes,2\n3,no,4\n5,yes,6\n", target: "label");
        Assert.Equal(["a", "b, c"], data.FeatureNames);
        Assert.Equal(["no", "yes"], data.ClassNames);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], data.Features.reshape(-1).data<float>().ToArray());
        Assert.Equal([1L, 0L, 1L], data.LabelArray());
    }

    [Fact]
    public void Bad_input_is_named_by_line_and_column()
    {
        Assert.Contains("no column 'y': its columns are a, b", Assert.Throws<FormatException>(() => Read("a,b\n1,2\n", "y")).Message);
        Assert.Contains("line 3, column 'a': 'x1' is not a number", Assert.Throws<FormatException>(() => Read("a,target\n1,2\nx1,3\n")).Message);
        Assert.Contains("line 2, column 'b': NaN is not a finite number", Assert.Throws<FormatException>(() => Read("a,b,target\n1,NaN,2\n")).Message);
        Assert.Contains("line 2, column 'a': the cell is empty", Assert.Throws<FormatException>(() => Read("a,target\n,2\n")).Message);
        Assert.Contains("line 2: expected 2 cells", Assert.Throws<FormatException>(() => Read("a,target\n1,2,3\n")).Message);
        Assert.Contains("line 2, column 'target': 'abc' is not a number", Assert.Throws<FormatException>(() => Read("a,target\n1,abc\n", classification: false)).Message);
    }

    [Fact]
    public void Standardization_uses_the_training_rows_statistics_only()
    {
        using var train = new TabularDataset(tensor(new float[] { 1, 10, 3, 10, 5, 10 }, [3, 2]), tensor(new float[] { 0, 1, 2 }));
        var scaling = new Standardizer().Fit(train);
        Assert.Equal([3.0, 10.0], scaling.Mean);
        Assert.Equal(Math.Sqrt(8.0 / 3), scaling.Scale[0], 12);
        Assert.Equal(1.0, scaling.Scale[1]);   // a constant column keeps scale 1
        using var test = tensor(new float[] { 7, 12 }, [1, 2]);
        using var standardized = scaling.Transform(test);
        Assert.Equal((float)(4 / Math.Sqrt(8.0 / 3)), standardized[0, 0].item<float>(), 5);
        Assert.Equal(2f, standardized[0, 1].item<float>());
    }

    [Fact]
    public void Rows_and_columns_copy_the_chosen_parts_with_their_names()
    {
        using var data = TabularDatasets.Iris();
        using var part = data.Rows([0, 149]).Columns([3, 0]);
        Assert.Equal(["petal_width_cm", "sepal_length_cm"], part.FeatureNames);
        Assert.Equal([0.2f, 5.1f, 1.8f, 5.9f], part.Features.reshape(-1).data<float>().ToArray());
        Assert.Equal([0L, 2L], part.LabelArray());
        Assert.Throws<ArgumentException>(() => data.Columns([4]));
    }
}
