namespace PruneNotebook.Core.Data;

/// <summary>The element types an IDX file can hold (the third byte of its magic number).</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned byte (0x08).</summary>
    UnsignedByte = 0x08,
    /// <summary>Signed byte (0x09).</summary>
    SignedByte = 0x09,
    /// <summary>Big-endian 16-bit integer (0x0B).</summary>
    Int16 = 0x0B,
    /// <summary>Big-endian 32-bit integer (0x0C).</summary>
    Int32 = 0x0C,
    /// <summary>Big-endian 32-bit float (0x0D).</summary>
    Float32 = 0x0D,
    /// <summary>Big-endian 64-bit float (0x0E).</summary>
    Float64 = 0x0E,
}

/// <summary>
/// The contents of an IDX file: its dimensions and its elements in row-major order, converted to
/// <see cref="float"/> (every IDX element type is exactly representable or, for Int32/Float64, rounded).
/// Byte data is also kept as bytes, which is what image datasets use.
/// </summary>
/// <param name="ElementType">The element type stored in the file.</param>
/// <param name="Dimensions">The size of each dimension; the first is the item count.</param>
/// <param name="Bytes">The raw elements for <see cref="IdxElementType.UnsignedByte"/> files, else <c>null</c>.</param>
/// <param name="Values">The elements as floats for the other element types, else <c>null</c>.</param>
public sealed record IdxArray(IdxElementType ElementType, IReadOnlyList<int> Dimensions, byte[]? Bytes, float[]? Values)
{
    /// <summary>The number of items (the first dimension).</summary>
    public int Count => Dimensions.Count == 0 ? 0 : Dimensions[0];

    /// <summary>The number of elements in one item (product of the remaining dimensions).</summary>
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
}
