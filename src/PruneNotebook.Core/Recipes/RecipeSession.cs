using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Recipes;

/// <summary>What the steps of one running recipe share: the model, the data and the results so far.</summary>
internal sealed class RecipeSession(Recipe recipe, RecipeRunOptions options) : IDisposable
{
    private nn.Module<Tensor, Tensor>? _model;
    private FashionMnist? _data;

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

    /// <summary>The loaded data; replacing it disposes the previous one.</summary>
    public FashionMnist Data
    {
        get => _data ?? throw new InvalidOperationException("No data: the recipe's check should have refused this.");
        set
        {
            if (!ReferenceEquals(_data, value))
                _data?.Dispose();
            _data = value;
        }
    }

    public bool HasData => _data is not null;

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
        _data?.Dispose();
    }
}
