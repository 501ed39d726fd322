using ModelZoo.Onnx;

namespace ModelZoo.Import.Darknet;

/// <summary>
/// What an imported Darknet model says of itself (<see cref="EmbeddedModelDescription"/>): the input as libdarknet
/// feeds it (RGB or gray scaled to 0–1, nothing subtracted, channel-major, the cfg's size) and, for a detector, the
/// decoder that reads its heads. Without it a model file would be read with the guesses made for unknown NCHW graphs
/// (ImageNet mean and std), which Darknet models were never trained with.
/// </summary>
internal static class DarknetDescription
{
    /// <summary>The grey libdarknet's <c>letterbox_image</c> pads with (0.5 of the 0–1 range), in pixel values.</summary>
    public const float LetterboxPad = 127.5f;

    /// <summary>Writes the description when the network is a detector or a classifier over an image; leaves any other
    /// network (a regressor, a recurrent text model) undescribed, since what its output means is not in the cfg.</summary>
    /// <exception cref="ZooUsageException"><paramref name="labels"/> holds fewer names than the model has classes, or the
    /// network takes no class names.</exception>
    public static void Write(OnnxModel model, DarknetCfg cfg, IEnumerable<string> headKinds, (int Width, int Height, int Channels) size,
        IReadOnlyList<string>? labels)
    {
        if (size.Channels is not (1 or 3) || size.Width < 2 || size.Height < 2)
        {
            return;
        }
        var kinds = headKinds.Distinct(StringComparer.Ordinal).ToList();
        var classifier = kinds.Count == 0 && cfg.Layers.LastOrDefault(l => l.Type != "cost")?.Type is "softmax" or "soft";
        if (kinds.Count != 1 && !classifier)
        {
            if (labels is not null)
            {
                throw new ZooUsageException("DarknetImportOptions.Labels gives class names for a network that is neither a detector nor a classifier; leave them out.");
            }
            return;
        }
        var classes = ClassCount(model, classifier);
        if (labels is not null && labels.Count < classes)
        {
            throw new ZooUsageException($"{labels.Count} class names were given for a model with {classes} classes (DarknetImportOptions.Labels); give one name per class.");
        }
        // libdarknet reads the whole names file and uses the first `classes` entries: its ImageNet-1k models name their
        // classes with the first 1000 lines of the 21842-line imagenet.shortnames.list.
        labels = labels?.Take(classes).ToList();
        var gray = size.Channels == 1;
        var input = new InputSpec
        {
            Name = DarknetImporter.InputName,
            Layout = TensorLayout.Nchw,
            Width = size.Width,
            Height = size.Height,
            ColorOrder = gray ? ColorOrder.Gray : ColorOrder.Rgb,
            Scale = 1f / 255f,
            Mean = gray ? [0f] : [0f, 0f, 0f],
            Std = gray ? [1f] : [1f, 1f, 1f],
            // Darknet's detector test letterboxes the photo; its classifier validation scales the shorter side to the
            // input and takes the centre.
            Resize = classifier ? ResizeMode.CenterCrop : ResizeMode.Letterbox,
            ResizeShorterSide = classifier ? Math.Min(size.Width, size.Height) : null,
            PadValue = LetterboxPad,
        };
        if (classifier)
        {
            EmbeddedModelDescription.Write(model.Metadata, ModelTask.ImageClassification, input,
                new OutputSpec { Name = "output", Kind = OutputKind.Probabilities, Size = classes }, labels);
            return;
        }
        EmbeddedModelDescription.Write(model.Metadata, ModelTask.ObjectDetection, input,
            new OutputSpec { Decoder = kinds[0] == "yolo" ? "darknet-yolo" : "darknet-region" }, labels);
    }

    /// <summary>The classifier's output length, or what each detector head predicts per anchor past box and objectness.</summary>
    private static int ClassCount(OnnxModel model, bool classifier)
    {
        var outputs = model.Outputs;
        if (classifier)
        {
            return (int)outputs[0].Shape[1].Value!.Value;
        }
        var head = outputs[0];
        var anchors = outputs[1].Shape[0].Value!.Value;
        return (int)(head.Shape[1].Value!.Value / anchors) - 5;
    }
}
