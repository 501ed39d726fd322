namespace ModelZoo.Import.Tflite;

/// <summary>A FlatBuffer offset, length or vtable points outside the file: the file is truncated or not a FlatBuffer.
/// Raised by <see cref="FlatTable"/>; the importer turns it into a <see cref="TfliteModelException"/>.</summary>
internal sealed class FlatBufferException(string message) : Exception(message);
