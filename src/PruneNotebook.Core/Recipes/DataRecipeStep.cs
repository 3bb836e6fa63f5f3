using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Runtime;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// <c>data</c>: Fashion-MNIST for the image models — its training split for training and for criteria that measure on
/// data, its test split for evaluation and for the accuracy before and after surgery (as a <see cref="FashionMnist"/>
/// variable in the magics) — or the <c>fortunes</c> text for the language models (<see cref="FortunesCorpus"/>): its
/// training windows for training and calibration, its validation windows for evaluation. Written
/// <c>- data: fashion-mnist</c>, <c>- data: {name: fashion-mnist, limit: 4000, directory: folder}</c> or
/// <c>- data: {name: fortunes, context: 64, limit: 2000}</c>.
/// </summary>
public sealed record DataRecipeStep : RecipeStep
{
    /// <summary>The name of Fashion-MNIST in recipes.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>The name of Debian's fortunes text in recipes.</summary>
    public const string FortunesName = "fortunes";

    /// <summary>Characters per window of the fortunes text unless told (<see cref="FortunesCorpus.Load"/>'s default).</summary>
    public const int DefaultContext = 64;

    internal DataRecipeStep(RecipeSection options)
    {
        Source = options;
        Name = options.Text("name", "a data name") ?? throw options.Error("name", $"a data step needs 'name': {FashionMnistName} or {FortunesName}.");
        Directory = options.Text("directory", "a folder");
        Limit = options.Integer("limit", 1);
        var context = options.Integer("context", 1);
        if (context is not null && !IsText)
            throw options.Error("context", $"'context' is the window length of the {FortunesName} text: drop it for {Name.Trim()}.");
        Context = context ?? DefaultContext;
    }

    /// <inheritdoc />
    public override string Kind => "data";

    /// <summary><c>fashion-mnist</c> or <c>fortunes</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The folder of IDX files, or of fortunes files, relative to the recipe's folder; default as
    /// <see cref="FashionMnist.ResolveDirectory"/>, or <see cref="FortunesCorpus.DefaultDirectory"/>.
    /// </summary>
    public string? Directory { get; }

    /// <summary>Use only the first N training and test images, or training and validation windows.</summary>
    public int? Limit { get; }

    /// <summary>Characters per window of the fortunes text (the model's positions).</summary>
    public int Context { get; }

    /// <summary>Whether this is the fortunes text.</summary>
    public bool IsText => Name.Trim().Equals(FortunesName, StringComparison.OrdinalIgnoreCase);

    internal override void Check(RecipeCheck check)
    {
        if (!IsText && !Name.Trim().Equals(FashionMnistName, StringComparison.OrdinalIgnoreCase))
            throw Error("name", $"unknown data '{Name}': expected {FashionMnistName} (images, for the image models) or {FortunesName} (text, for chargpt).");
        var folder = Folder(check.Resolve);
        if (!System.IO.Directory.Exists(folder))
            throw Error(Directory is null ? "name" : "directory", IsText
                ? $"fortunes folder '{folder}' does not exist: install Debian's fortunes package (apt-get install fortunes) or name the folder with 'directory'."
                : $"Fashion-MNIST folder '{folder}' does not exist: install Debian's dataset-fashion-mnist package, name the folder with 'directory', or set {FashionMnist.DirectoryVariable}.");
        check.HasData = true;
        check.TextData = IsText;
        check.TextContext = IsText ? Context : 0;
        check.MatchModelAndData(this);
    }

    internal override RecipeStepResult Run(RecipeSession session)
    {
        var folder = Folder(session.Resolve);
        var c = CultureInfo.InvariantCulture;
        if (IsText)
        {
            var corpus = FortunesCorpus.Load(folder, Context, Limit, TorchDevice.Default, Limit);
            session.Text = corpus;
            return new RecipeStepResult(0, Kind, Line,
                $"data: {FortunesName}, {corpus.Train.Count.ToString("N0", c)} training and {corpus.Validation.Count.ToString("N0", c)} validation windows of {Context} characters "
                + $"({corpus.TrainDocuments.ToString("N0", c)} and {corpus.ValidationDocuments.ToString("N0", c)} fortunes)", null);
        }
        var data = FashionMnist.Load(folder, TorchDevice.Default, limit: Limit);
        session.Images = data;
        return new RecipeStepResult(0, Kind, Line,
            $"data: {FashionMnistName}, {data.Train.Count.ToString("N0", c)} training and {data.Test.Count.ToString("N0", c)} test images", null);
    }

    private string Folder(Func<string, string> resolve) =>
        Directory is not null ? resolve(Directory) : IsText ? FortunesCorpus.DefaultDirectory : FashionMnist.ResolveDirectory();
}
