namespace ModelZoo.Tasks;

/// <summary>One image as the model takes it: its input tensor (float, uint8 or int32 elements, one image's worth), the
/// map from model-input pixels back to the image, and the image itself (alive until its result is out), for steps that
/// need its pixels after inference (face attributes crop it).</summary>
internal sealed record PreparedImage(Array Tensor, ImageTransform Transform, RgbImage Source);
