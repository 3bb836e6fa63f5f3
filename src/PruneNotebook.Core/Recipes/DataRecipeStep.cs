using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>data</c>: Fashion-MNIST, its training split for training and for criteria that measure on data, its test split for
/// evaluation and for the accuracy before and after surgery (as a <see cref="FashionMnist"/> variable in the magics).
/// Written <c>- data: fashion-mnist</c> or <c>- data: {name: fashion-mnist, limit: 4000, directory: folder}</c>.
/// </summary>
public sealed record DataRecipeStep : RecipeStep
{
    /// <summary>The name of Fashion-MNIST in recipes.</summary>
    public const string FashionMnistName = "fashion-mnist";

    internal DataRecipeStep(RecipeSection options)
    {
        Source = options;
        Name = options.Text("name", "a data name") ?? throw options.Error("name", $"a data step needs 'name': {FashionMnistName}.");
        Directory = options.Text("directory", "a folder");
        Limit = options.Integer("limit", 1);
    }

    /// <inheritdoc />
    public override string Kind => "data";

    /// <summary><c>fashion-mnist</c>.</summary>
    public string Name { get; }

    /// <summary>The folder of IDX files (relative to the recipe's folder); default as <see cref="FashionMnist.ResolveDirectory"/>.</summary>
    public string? Directory { get; }

    /// <summary>Use only the first N training and test images.</summary>
    public int? Limit { get; }

    internal override void Check(RecipeCheck check)
    {
        if (!Name.Trim().Equals(FashionMnistName, StringComparison.OrdinalIgnoreCase))
            throw Error("name", $"unknown data '{Name}': expected {FashionMnistName} (the built-in models classify its images).");
        var folder = Folder(check.Resolve);
        if (!System.IO.Directory.Exists(folder))
            throw Error(Directory is null ? "name" : "directory",
                $"Fashion-MNIST folder '{folder}' does not exist: install Debian's dataset-fashion-mnist package, name the folder with 'directory', or set {FashionMnist.DirectoryVariable}.");
        check.HasData = true;
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var folder = Folder(session.Resolve);
        var data = FashionMnist.Load(folder, TorchDevice.Default, limit: Limit);
        session.Data = data;
        var c = CultureInfo.InvariantCulture;
        return new RecipeStepResult(0, Kind, Line,
            $"data: {FashionMnistName}, {data.Train.Count.ToString("N0", c)} training and {data.Test.Count.ToString("N0", c)} test images", null);
    }

    private string Folder(Func<string, string> resolve) => Directory is null ? FashionMnist.ResolveDirectory() : resolve(Directory);
}
