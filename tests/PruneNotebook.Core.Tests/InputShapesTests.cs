using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

public class InputShapesTests
{
    [Theory]
    [InlineData("1,1,28,28")]
    [InlineData("(1, 1, 28, 28)")]
    [InlineData("1x1x28x28")]
    [InlineData(" [1,1,28,28] ")]
    public void Parses_common_ways_of_writing_a_shape(string text) =>
        Assert.Equal([1L, 1, 28, 28], InputShapes.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("1,a,28")]
    [InlineData("1,-1,28")]
    [InlineData("1,0")]
    [InlineData("1.5,2")]
    public void Rejects_anything_but_positive_integers_with_an_example(string text)
    {
        var e = Assert.Throws<FormatException>(() => InputShapes.Parse(text));
        Assert.Contains("e.g. 1,1,28,28", e.Message);
    }

    [Fact]
    public void Infers_the_shape_of_zoo_models_and_mlps_but_not_of_arbitrary_convnets()
    {
        using var lenet = new LeNet5();
        using var mlp = nn.Sequential(nn.Linear(13, 4), nn.ReLU());
        using var conv = nn.Sequential(nn.Conv2d(3, 4, 3));
        Assert.Equal([1L, 1, 28, 28], InputShapes.Infer(lenet)!);
        Assert.Equal([1L, 13], InputShapes.Infer(mlp)!);
        Assert.Null(InputShapes.Infer(conv));
    }
}
