using System.Text.Json;
using ModelZoo.Catalog;

namespace ModelZoo.Tests.Catalog;

public sealed class EmbeddedModelDescriptionTests
{
    [Fact]
    public void A_file_without_entries_says_nothing()
    {
        var description = EmbeddedModelDescription.Read(new Dictionary<string, string> { ["producer"] = "other" });
        Assert.Null(description.Input);
        Assert.Null(description.Labels);
        Assert.Empty(description.Unreadable);
    }

    [Fact]
    public void The_input_spec_and_labels_are_read_as_card_json()
    {
        var description = EmbeddedModelDescription.Read(new Dictionary<string, string>
        {
            [ModelMetadataKeys.Input] = """{"name":"pixels","layout":"NCHW","width":224,"height":224,"colorOrder":"RGB","scale":1,"mean":[0,0,0],"std":[1,1,1],"resize":"center-crop","resizeShorterSide":256}""",
            [ModelMetadataKeys.Labels] = """["cat","dog"]""",
        });
        var input = Assert.IsType<InputSpec>(description.Input);
        Assert.Equal(("pixels", TensorLayout.Nchw, 224, ResizeMode.CenterCrop, 256), (input.Name, input.Layout, input.Width, input.Resize, input.ResizeShorterSide));
        Assert.Equal(1f, input.Scale);
        Assert.Equal(["cat", "dog"], description.Labels);
        Assert.Empty(description.Unreadable);
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var input = new InputSpec { Name = "input_1:0", Width = 416, Height = 416, Scale = 1f / 255, Resize = ResizeMode.Stretch };
        var output = new OutputSpec { Name = "Identity:0", Decoder = "yolov4", Anchors = [[12f, 16f], [19f, 36f]], XyScales = [1.2f, 1.1f] };
        var metadata = new Dictionary<string, string>();
        EmbeddedModelDescription.Write(metadata, ModelTask.ObjectDetection, input, output, ["person", "bicycle"]);

        Assert.Equal("object-detection", metadata[ModelMetadataKeys.Task]);
        Assert.Equal(ModelTask.ObjectDetection, EmbeddedModelDescription.Read(metadata).Task);
        Assert.DoesNotContain('\n', metadata[ModelMetadataKeys.Input]);
        var read = EmbeddedModelDescription.Read(metadata);
        Assert.Empty(read.Unreadable);
        Assert.Equal(JsonSerializer.Serialize(input, ModelCardJson.Options), JsonSerializer.Serialize(read.Input, ModelCardJson.Options));
        Assert.Equal(("Identity:0", "yolov4", OutputKind.Raw), (read.Output!.Name, read.Output.Decoder, read.Output.Kind));
        Assert.Equal([12f, 16f, 19f, 36f], read.Output.Anchors!.SelectMany(a => a));
        Assert.Equal([1.2f, 1.1f], read.Output.XyScales);
        Assert.Equal(["person", "bicycle"], read.Labels);
    }

    [Fact]
    public void Writing_again_takes_out_what_is_no_longer_given()
    {
        var metadata = new Dictionary<string, string>();
        EmbeddedModelDescription.Write(metadata, ModelTask.ImageClassification, new InputSpec { Width = 224, Height = 224 }, new OutputSpec { Kind = OutputKind.Logits }, ["cat"]);
        EmbeddedModelDescription.Write(metadata, ModelTask.ImageFeatureVector, new InputSpec { Width = 224, Height = 224 }, null, null);

        var read = EmbeddedModelDescription.Read(metadata);
        Assert.Equal(ModelTask.ImageFeatureVector, read.Task);
        Assert.Null(read.Output);
        Assert.Null(read.Labels);
    }

    [Fact]
    public void A_label_offset_is_written_with_the_names_and_taken_out_with_them()
    {
        var metadata = new Dictionary<string, string>();
        var input = new InputSpec { Width = 300, Height = 300 };
        EmbeddedModelDescription.Write(metadata, ModelTask.ObjectDetection, input, new OutputSpec { Decoder = "ssd" }, ["person", "bicycle"], labelOffset: 1);

        Assert.Equal("1", metadata[ModelMetadataKeys.LabelOffset]);
        var read = EmbeddedModelDescription.Read(metadata);
        Assert.Empty(read.Unreadable);
        Assert.Equal(1, read.LabelOffset);
        Assert.Equal(["person", "bicycle"], read.Labels);

        EmbeddedModelDescription.Write(metadata, ModelTask.ObjectDetection, input, new OutputSpec { Decoder = "ssd" }, ["person", "bicycle"]);
        Assert.False(metadata.ContainsKey(ModelMetadataKeys.LabelOffset));
        Assert.Equal(0, EmbeddedModelDescription.Read(metadata).LabelOffset);
    }

    [Fact]
    public void The_licence_is_written_as_card_json_and_read_back()
    {
        var metadata = new Dictionary<string, string>();
        var license = new LicenseInfo { Spdx = "Apache-2.0", Url = "https://www.apache.org/licenses/LICENSE-2.0", Restrictions = ["derived from x/y"] };
        EmbeddedModelDescription.Write(metadata, ModelTask.ImageClassification, new InputSpec { Width = 8, Height = 8 }, null, ["cat"], license: license);

        var read = EmbeddedModelDescription.Read(metadata).License;
        Assert.Equal(("Apache-2.0", license.Url), (read!.Spdx, read.Url));
        Assert.Equal(["derived from x/y"], read.Restrictions);
        Assert.Null(EmbeddedModelDescription.Read(new Dictionary<string, string>()).License);
    }

    [Fact]
    public void An_unreadable_label_offset_drops_the_names_it_would_shift()
    {
        var metadata = new Dictionary<string, string>();
        EmbeddedModelDescription.Write(metadata, ModelTask.ObjectDetection, new InputSpec { Width = 8, Height = 8 }, null, ["cat"], labelOffset: 1);
        metadata[ModelMetadataKeys.LabelOffset] = "-1";

        var read = EmbeddedModelDescription.Read(metadata);
        Assert.Null(read.Labels);
        Assert.Equal(0, read.LabelOffset);
        Assert.Contains(ModelMetadataKeys.LabelOffset, Assert.Single(read.Unreadable), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zoo.task", "weather-forecast")]
    [InlineData("zoo.output", "{\"kind\":\"histogram\"}")]
    [InlineData("zoo.input", "{\"name\":\"pixels\",\"layout\":\"CHWN\"}")]
    [InlineData("zoo.input", "not json")]
    [InlineData("zoo.labels", "[\"cat\",\"\"]")]
    [InlineData("zoo.labels", "{\"cat\":1}")]
    [InlineData("zoo.label_offset", "one")]
    [InlineData("zoo.license", "[1, 2]")]
    public void An_unreadable_entry_is_left_out_and_named(string key, string value)
    {
        var description = EmbeddedModelDescription.Read(new Dictionary<string, string> { [key] = value });
        Assert.Null(description.Task);
        Assert.Null(description.Input);
        Assert.Null(description.Output);
        Assert.Null(description.Labels);
        Assert.Contains(key, Assert.Single(description.Unreadable), StringComparison.Ordinal);
    }
}
