using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.TraceObjects;

namespace PruneNotebook.Visualization;

/// <summary>Symmetric error bars from per-point values, through Plotly.NET's F# API (Plotly.NET.CSharp 0.14 does not wrap it).</summary>
internal static class ErrorBars
{
    public static GenericChart WithY(this GenericChart chart, IEnumerable<double> errors) => Plotly.NET.Chart.withYError(Bars(errors)).Invoke(chart);

    public static GenericChart WithX(this GenericChart chart, IEnumerable<double> errors) => Plotly.NET.Chart.withXError(Bars(errors)).Invoke(chart);

    private static Error Bars(IEnumerable<double> errors) => Error.init<double, double>(
        FSharpOption<bool>.Some(true), FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data), FSharpOption<bool>.Some(true),
        FSharpOption<IEnumerable<double>>.Some(errors.ToArray()), FSharpOption<IEnumerable<double>>.None,
        FSharpOption<EncodedTypedArray>.None, FSharpOption<EncodedTypedArray>.None, FSharpOption<double>.None, FSharpOption<double>.None,
        FSharpOption<int>.None, FSharpOption<int>.None, FSharpOption<bool>.None, FSharpOption<Color>.None, FSharpOption<double>.Some(1.5),
        FSharpOption<double>.Some(4));
}
