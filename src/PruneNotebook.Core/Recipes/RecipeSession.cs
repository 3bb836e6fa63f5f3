using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>What the steps of one running recipe share: the model, the data and the results so far.</summary>
internal sealed class RecipeSession(Recipe recipe, RecipeRunOptions options) : IDisposable
{
    private nn.Module<Tensor, Tensor>? _model;
    private FashionMnist? _images;
    private FortunesCorpus? _text;

    public Recipe Recipe => recipe;

    public RecipeRunOptions Options => options;

    public List<RecipeStepResult> Results { get; } = [];

    /// <summary>The model the steps work on; replacing it disposes the previous one.</summary>
    public nn.Module<Tensor, Tensor> Model
    {
        get => _model ?? throw new InvalidOperationException("No model: the recipe's check should have refused this.");
        set
        {
            if (!ReferenceEquals(_model, value))
                _model?.Dispose();
            _model = value;
        }
    }

    /// <summary>The loaded images; loading other data disposes the data before.</summary>
    public FashionMnist Images
    {
        get => _images ?? throw new InvalidOperationException("No image data: the recipe's check should have refused this.");
        set
        {
            Replace(value);
            _images = value;
        }
    }

    /// <summary>The loaded text; loading other data disposes the data before.</summary>
    public FortunesCorpus Text
    {
        get => _text ?? throw new InvalidOperationException("No text data: the recipe's check should have refused this.");
        set
        {
            Replace(value);
            _text = value;
        }
    }

    public bool HasData => _images is not null || _text is not null;

    public bool HasText => _text is not null;

    public string Resolve(string path) => recipe.Resolve(path);

    /// <summary>The model, handed to the caller: the session no longer disposes it.</summary>
    public nn.Module<Tensor, Tensor>? TakeModel()
    {
        var model = _model;
        _model = null;
        return model;
    }

    public void Dispose()
    {
        _model?.Dispose();
        Replace(null);
    }

    private void Replace(object? data)
    {
        if (!ReferenceEquals(_images, data))
            _images?.Dispose();
        if (!ReferenceEquals(_text, data))
            _text?.Dispose();
        _images = null;
        _text = null;
    }
}
