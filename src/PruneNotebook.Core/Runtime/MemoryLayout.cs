using System.Runtime.CompilerServices;
using PruneNotebook.Core.Analysis;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Runtime;

/// <summary>
/// Channels-last (NHWC) layout for image batches: same shape (N, C, H, W), channels stored innermost. libtorch's CPU
/// convolutions follow their input's layout, and on channels-last inputs they run markedly faster, most of all for the
/// narrow layers network surgery leaves (measured here: a halved VGG-style net's forward 1.2–1.5× faster). A network
/// needs no change: give it channels-last inputs and every convolution, BatchNorm, ReLU and pooling after it keeps the layout.
/// <see cref="UseChannelsLast"/> makes a model do that to every input it gets; its parameters stay as they are (TorchSharp's
/// <c>save</c> needs contiguous parameters, so converting the weights the way PyTorch's <c>model.to(memory_format=...)</c>
/// does would make the model unsavable).
/// </summary>
public static class MemoryLayout
{
    private static readonly ConditionalWeakTable<nn.Module, Action> Hooks = new();

    /// <summary>
    /// A channels-last copy of a 4-D (N, C, H, W) tensor (PyTorch's <c>x.contiguous(memory_format=torch.channels_last)</c>);
    /// other tensors are returned as they are (a new handle to the same data).
    /// </summary>
    public static Tensor ChannelsLast(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.dim() == 4 ? input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : input.alias();
    }

    /// <summary>Whether a 4-D tensor is stored channels-last (channels innermost, then width, height, batch).</summary>
    public static bool IsChannelsLast(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4)
            return false;
        var (shape, strides) = (input.shape, input.stride());
        return strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[1] * shape[3] && strides[0] == shape[1] * shape[2] * shape[3];
    }

    /// <summary>
    /// Makes <paramref name="model"/> convert every 4-D input to channels-last before its forward pass (a forward
    /// pre-hook), in training and evaluation alike; an input already channels-last is passed as it is. First checks on a
    /// random batch that the model runs on a channels-last input and gives the same outputs, so a forward that needs
    /// contiguous activations (e.g. it calls <c>view</c> on a convolution's output) is refused and the model left as it was.
    /// Calling it again changes nothing. The setting lives in this process only: it is not saved with the model.
    /// </summary>
    /// <param name="model">A network taking image batches (N, C, H, W).</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model (<see cref="InputShapes.Infer"/>).</param>
    /// <exception cref="ArgumentException">The input is not 4-D, its shape is unknown, or the model fails or differs on channels-last inputs.</exception>
    public static void UseChannelsLast(nn.Module<Tensor, Tensor> model, IReadOnlyList<long>? inputShape = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (UsesChannelsLast(model))
            return;
        var shape = inputShape?.ToArray() ?? InputShapes.Infer(model)
            ?? throw new ArgumentException($"The input shape of {model.GetType().Name} is not known: pass it, e.g. 1,3,32,32.", nameof(inputShape));
        if (shape.Length != 4)
            throw new ArgumentException(
                $"Channels-last applies to image batches (N, C, H, W); {model.GetType().Name} takes ({string.Join(", ", shape)}).", nameof(inputShape));
        CheckSameOutputs(model, [Math.Min(shape[0], 2), .. shape.Skip(1)]);
        var remover = model.register_forward_pre_hook((_, input) => input.dim() != 4 || IsChannelsLast(input) ? input : ChannelsLast(input));
        Hooks.AddOrUpdate(model, remover.remove);
    }

    /// <summary>Whether <see cref="UseChannelsLast"/> is in effect for <paramref name="model"/>.</summary>
    public static bool UsesChannelsLast(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Hooks.TryGetValue(model, out _);
    }

    /// <summary>Undoes <see cref="UseChannelsLast"/>: the model gets its inputs as they are again. Nothing happens if it was not in effect.</summary>
    public static void UseDefaultLayout(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Hooks.TryGetValue(model, out var remove))
        {
            remove();
            Hooks.Remove(model);
        }
    }

    private static void CheckSameOutputs(nn.Module<Tensor, Tensor> model, long[] shape)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var generator = new Generator(0);
            var input = randn(shape, generator: generator).to(TorchDevice.Of(model));
            var expected = Run(model, input, $"cannot run on input shape ({string.Join(", ", shape)})", ": pass the shape it takes, e.g. 1,3,32,32.");
            var actual = Run(model, ChannelsLast(input), "cannot run on channels-last inputs",
                "; a forward that calls view on a convolution's output needs reshape instead.");
            if (!OutputAgreement.Holds(actual, expected))
                throw new ArgumentException($"{model.GetType().Name} gives different outputs on channels-last inputs, so its layout was left as it is.", nameof(model));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The model's output, or an <see cref="ArgumentException"/> saying in one line what failed and what to do.</summary>
    private static Tensor Run(nn.Module<Tensor, Tensor> model, Tensor input, string failure, string advice)
    {
        try
        {
            return model.call(input);
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException or ArgumentException)
        {
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            throw new ArgumentException(
                $"{model.GetType().Name} {failure} ({reason}){advice}", nameof(model), e);
        }
    }
}
