using System.Buffers.Binary;
using ModelZoo.Import.Tfjs;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// Reads a constant tensor's buffer. FLOAT16 values become float32 (DEQUANTIZE of an fp16 weight is then the identity);
/// integer types keep their stored values (8- and 16-bit ones as int32, dequantized by the DEQUANTIZE converter);
/// a sparse constant is expanded to its dense shape here, so that DENSIFY only passes it on.
/// </summary>
internal static class TfliteConstants
{
    /// <summary>The largest sparse constant expanded (2^28 values); a larger one is a hostile shape, not a weight.</summary>
    private const long MaxDenseElements = 1L << 28;

    /// <summary>The value of <paramref name="tensor"/>, or null when its buffer is empty (a run-time tensor).</summary>
    public static ConstTensor? Read(TfliteModel model, TfliteTensor tensor)
    {
        var bytes = model.Buffer(tensor.Buffer);
        if (bytes.Length == 0)
        {
            return null;
        }
        var size = TfliteTensorTypes.Size(tensor.Type);
        if (size == 0)
        {
            throw new FlatBufferException($"tensor {tensor.Index} ('{tensor.Name}') is a {TfliteTensorTypes.Name(tensor.Type)} constant, which the importer cannot read");
        }
        long count;
        try
        {
            count = Shapes.ElementCount(tensor.Shape);
        }
        catch (OverflowException)
        {
            throw new FlatBufferException($"tensor {tensor.Index} ('{tensor.Name}') declares shape [{string.Join(",", tensor.Shape)}], whose element count overflows");
        }
        var stored = tensor.Sparsity is null ? count : bytes.Length / size;
        if (bytes.Length != stored * size)
        {
            throw new FlatBufferException(
                $"buffer {tensor.Buffer} of tensor {tensor.Index} ('{tensor.Name}') holds {bytes.Length} bytes, but shape [{string.Join(",", tensor.Shape)}] of {TfliteTensorTypes.Name(tensor.Type)} needs {stored * size}");
        }
        var values = Decode(bytes, tensor.Type, (int)stored);
        if (tensor.Sparsity is { } sparsity)
        {
            values = Densify(values, tensor, sparsity, count);
        }
        return tensor.Type switch
        {
            TfliteTensorTypes.Float32 or TfliteTensorTypes.Float16 => ConstTensor.Floats(tensor.Shape, Array.ConvertAll(values, v => (float)v)),
            TfliteTensorTypes.Int64 => ConstTensor.Longs(tensor.Shape, Array.ConvertAll(values, v => (long)v)),
            TfliteTensorTypes.Bool => new ConstTensor(TensorType.Bool, tensor.Shape, Array.ConvertAll(values, v => v != 0)),
            _ => ConstTensor.Ints(tensor.Shape, Array.ConvertAll(values, v => (int)v)),
        };
    }

    private static double[] Decode(ReadOnlySpan<byte> bytes, int type, int count)
    {
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = type switch
            {
                TfliteTensorTypes.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
                TfliteTensorTypes.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),
                TfliteTensorTypes.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]),
                TfliteTensorTypes.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(8 * i)..]),
                TfliteTensorTypes.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]),
                TfliteTensorTypes.Int8 => (sbyte)bytes[i],
                _ => bytes[i], // UINT8, BOOL
            };
        }
        return result;
    }

    /// <summary>
    /// Expands the TFLite sparse format: dimensions are visited in traversal order, a dense dimension of size d maps
    /// position p of its parent to p·d + i, a CSR dimension to the positions segments[p]..segments[p+1] whose coordinates
    /// are indices[..]; the position reached at the last dimension is the index of the stored value. Block dimensions
    /// (traversal entries past the tensor's rank) refine the coordinate of the dimension <c>block_map</c> names.
    /// </summary>
    internal static double[] Densify(double[] values, TfliteTensor tensor, TfliteSparsity sparsity, long count)
    {
        var walk = new SparseWalk(values, tensor, sparsity, count);
        walk.Walk(0, 0);
        return walk.Dense;
    }

    /// <summary>One expansion of a sparse constant: the coordinate reached so far at each traversal level, and the
    /// dense values being filled.</summary>
    private sealed class SparseWalk
    {
        private readonly double[] _values;
        private readonly TfliteTensor _tensor;
        private readonly TfliteSparsity _sparsity;
        private readonly int _rank;
        private readonly int[] _blockSize;
        private readonly int[] _coordinate;
        private readonly long[] _strides;
        private readonly string _what;

        public SparseWalk(double[] values, TfliteTensor tensor, TfliteSparsity sparsity, long count)
        {
            _values = values;
            _tensor = tensor;
            _sparsity = sparsity;
            _rank = tensor.Shape.Length;
            _what = $"the sparse constant {tensor.Index} ('{tensor.Name}')";
            var levels = sparsity.Dimensions.Length;
            var order = sparsity.TraversalOrder;
            var blocks = sparsity.BlockMap;
            if (order.Length != levels || levels != _rank + blocks.Length || order.Any(o => o < 0 || o >= levels) || order.Distinct().Count() != levels
                || blocks.Any(b => b < 0 || b >= _rank))
            {
                throw new FlatBufferException($"{_what} has an inconsistent traversal order, block map or dimension list");
            }
            _blockSize = new int[blocks.Length];
            for (var level = 0; level < levels; level++)
            {
                if (order[level] >= _rank)
                {
                    _blockSize[order[level] - _rank] = sparsity.Dimensions[level].DenseSize;
                }
            }
            if (count > MaxDenseElements)
            {
                throw new FlatBufferException($"{_what} would expand to {count} values, more than the importer accepts");
            }
            Dense = new double[count];
            _coordinate = new int[levels];
            _strides = Shapes.Strides(tensor.Shape);
        }

        public double[] Dense { get; }

        public void Walk(int level, long position)
        {
            if (level == _coordinate.Length)
            {
                Place(position);
                return;
            }
            var dim = _sparsity.Dimensions[level];
            var axis = _sparsity.TraversalOrder[level];
            if (!dim.Sparse)
            {
                if (dim.DenseSize < 0)
                {
                    throw new FlatBufferException($"{_what} has a negative dense size");
                }
                for (var i = 0; i < dim.DenseSize; i++)
                {
                    _coordinate[axis] = i;
                    Walk(level + 1, position * dim.DenseSize + i);
                }
                return;
            }
            if (position + 1 >= dim.Segments.Length)
            {
                throw new FlatBufferException($"{_what} needs segment {position + 1}, but dimension {level} has {dim.Segments.Length}");
            }
            int from = dim.Segments[position], to = dim.Segments[position + 1];
            if (from < 0 || to < from || to > dim.Indices.Length)
            {
                throw new FlatBufferException($"{_what} has segments {from}..{to} outside its {dim.Indices.Length} indices");
            }
            for (var p = from; p < to; p++)
            {
                _coordinate[axis] = dim.Indices[p];
                Walk(level + 1, p);
            }
        }

        /// <summary>Stores value <paramref name="position"/> at the dense index the current coordinate names.</summary>
        private void Place(long position)
        {
            if (position >= _values.Length)
            {
                throw new FlatBufferException($"{_what} indexes value {position} of {_values.Length}");
            }
            var blocks = _sparsity.BlockMap;
            long flat = 0;
            for (var d = 0; d < _rank; d++)
            {
                long c = _coordinate[d];
                for (var b = 0; b < blocks.Length; b++)
                {
                    if (blocks[b] == d)
                    {
                        c = c * _blockSize[b] + _coordinate[_rank + b];
                    }
                }
                if (c >= _tensor.Shape[d])
                {
                    throw new FlatBufferException($"{_what} places a value at index {c} of dimension {d} (size {_tensor.Shape[d]})");
                }
                flat += c * _strides[d];
            }
            Dense[flat] = _values[position];
        }
    }
}
