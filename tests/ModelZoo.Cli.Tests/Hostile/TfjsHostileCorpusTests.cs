using System.Text.Json.Nodes;
using ModelZoo.Tests.Import;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile TFJS models, generated here in a temp folder: each is a small valid graph model (x[1,4] · w[4,1]) with
/// one thing broken, run through <c>zoo import tfjs</c>. Every case ends in a one-line error, exit 1 or 2, no stack
/// trace, no hang, and no ONNX file written. Paths that leave the model's folder point at a file of exactly the
/// right size, so only the containment check can stop them.
/// </summary>
public sealed class TfjsHostileCorpusTests(ITestOutputHelper log)
{
    private const int ShardBytes = 16; // w: 4 float32 values

    private static readonly Dictionary<string, (Action<Case> Break, string[] Mentions)> Cases = new()
    {
        // Weight paths that leave the folder (issue: read as weights).
        ["path-parent-etc-passwd"] = (c => c.SetPaths("../../../../../../../../etc/passwd"), ["../../../../../../../../etc/passwd", "outside"]),
        ["path-parent-sibling"] = (c => c.SetPaths("../" + c.WriteOutside("other.bin")), ["../other.bin", "outside"]),
        ["path-absolute"] = (c => c.SetPaths(c.OutsidePath("absolute.bin")), ["absolute.bin", "absolute"]),
        ["path-backslash"] = (c => c.SetPaths("..\\" + c.WriteOutside("back.bin")), ["back.bin", "'\\'"]),
        ["path-drive-letter"] = (c => c.SetPaths("C:/Windows/win.ini"), ["C:/Windows/win.ini"]),
        ["path-inner-dotdot"] = (c => c.SetPaths("sub/../../" + c.WriteOutside("inner.bin")), ["inner.bin", "outside"]),
        ["path-symlink-out"] = (c => c.LinkShardOutside(), ["weights.bin", "link"]),
        ["path-empty"] = (c => c.SetPaths(""), ["empty"]),
        ["path-folder-itself"] = (c => c.SetPaths("."), ["outside"]),
        ["path-is-directory"] = (c => c.ShardIsDirectory(), ["sub", "cannot be read"]),
        // Shard sizes checked exactly against the manifest.
        ["shard-1000-bytes-long"] = (c => c.ResizeShard(ShardBytes + 1000), ["1016 bytes", "exactly 16"]),
        ["shard-truncated"] = (c => c.ResizeShard(ShardBytes - 5), ["11 bytes", "exactly 16"]),
        ["shard-empty"] = (c => c.ResizeShard(0), ["0 bytes", "exactly 16"]),
        ["shard-missing"] = (c => File.Delete(c.Shard), ["weights.bin", "cannot be read"]),
        ["shard-extra-listed"] = (c => c.SetPaths("weights.bin", "weights2.bin"), ["weights2.bin", "cannot be read"]),
        // Shapes and numbers out of range.
        ["weight-shape-overflow"] = (c => c.Weight()["shape"] = new JsonArray(2147483648L, 2147483648L), ["weightsManifest[0].weights[0]", "shape"]),
        ["weight-shape-int64-overflow"] = (c => c.Weight()["shape"] = new JsonArray(4294967296L, 4294967296L, 4294967296L), ["shape"]),
        ["weight-shape-negative"] = (c => c.Weight()["shape"] = new JsonArray(-1, 256), ["-1", "shape"]),
        ["weight-shape-fraction"] = (c => c.Weight()["shape"] = new JsonArray(1.5, 4), ["1.5"]),
        ["weight-shape-not-array"] = (c => c.Weight()["shape"] = "4,1", ["shape", "not an array"]),
        ["inline-const-huge"] = (c => c.InlineConst(100000, 100000), ["node 'big'", "inline constant"]),
        ["inline-const-negative"] = (c => c.InlineConst(-5, 4), ["node 'big'"]),
        // Wrong JSON types anywhere in model.json.
        ["paths-number"] = (c => c.Group()["paths"] = 42, ["weightsManifest[0].paths", "the number 42"]),
        ["paths-entry-number"] = (c => c.Group()["paths"] = new JsonArray(42), ["weightsManifest[0].paths[0]", "not a string"]),
        ["weights-string"] = (c => c.Group()["weights"] = "w", ["weightsManifest[0].weights", "not an array"]),
        ["weight-name-number"] = (c => c.Weight()["name"] = 7, ["weightsManifest[0].weights[0].name"]),
        ["weight-name-missing"] = (c => c.Weight().Remove("name"), ["weightsManifest[0].weights[0].name", "missing"]),
        ["weight-dtype-number"] = (c => c.Weight()["dtype"] = 1, ["dtype", "not a string"]),
        ["weight-dtype-unknown"] = (c => c.Weight()["dtype"] = "complex64", ["complex64"]),
        ["weight-quantization-unknown"] = (c => c.Weight()["quantization"] = new JsonObject { ["dtype"] = "int4" }, ["int4"]),
        ["group-not-object"] = (c => c.Root["weightsManifest"] = new JsonArray(5), ["weightsManifest[0]", "not an object"]),
        ["manifest-not-array"] = (c => c.Root["weightsManifest"] = "w", ["weightsManifest"]),
        ["manifest-missing"] = (c => c.Root.Remove("weightsManifest"), ["weightsManifest"]),
        ["format-number"] = (c => c.Root["format"] = 3, ["format"]),
        ["format-layers-model"] = (c => c.Root["format"] = "layers-model", ["layers-model", "tensorflowjs_converter"]),
        ["topology-missing"] = (c => c.Root.Remove("modelTopology"), ["modelTopology"]),
        ["node-name-missing"] = (c => c.Node(0).Remove("name"), ["modelTopology.node[0]"]),
        ["node-not-object"] = (c => c.Nodes().Add(12), ["modelTopology.node[3]"]),
        ["node-input-number"] = (c => c.Node(2)["input"] = new JsonArray(1, 2), ["modelTopology.node[2]"]),
        ["placeholder-dim-text"] = (c => c.Node(0)["attr"]!["shape"]!["shape"]!["dim"]![1]!["size"] = "four", ["four"]),
        ["attr-wrong-type"] = (c => c.Nodes().Add(new JsonObject
        {
            ["name"] = "cast", ["op"] = "Cast", ["input"] = new JsonArray("y"),
            ["attr"] = new JsonObject { ["DstT"] = new JsonObject { ["type"] = 5 } },
        }), ["node 'cast' (Cast)", "Number"]),
        ["signature-output-missing-node"] = (c => c.Root["signature"] = new JsonObject { ["outputs"] = new JsonObject { ["out"] = new JsonObject { ["name"] = "nowhere:0" } } }, ["nowhere"]),
        ["node-duplicate"] = (c => c.Nodes().Add(c.Node(2).DeepClone()), ["'y' twice"]),
        ["node-reads-missing"] = (c => c.Node(2)["input"] = new JsonArray("x", "ghost"), ["ghost"]),
        // What already held: unsupported ops listed, not JSON at all.
        ["op-unsupported"] = (c => c.Node(2)["op"] = "NonMaxSuppressionV5", ["NonMaxSuppressionV5", "y"]),
        ["op-control-flow"] = (c => c.Node(2)["op"] = "LoopCond", ["LoopCond"]),
        ["json-truncated"] = (c => c.Raw(json => json[..(json.Length / 2)]), ["not valid JSON"]),
        ["json-not-object"] = (c => c.Raw(_ => "[1, 2, 3]"), ["not a JSON object"]),
        ["json-empty"] = (c => c.Raw(_ => ""), ["empty"]),
        // Files that would block or never end when read: refused by their length before they are opened.
        ["json-is-fifo"] = (c => c.AfterSave = () => Fifo.Replace(c.ModelJson), ["not a regular file"]),
        ["shard-is-fifo"] = (c => Fifo.Replace(c.Shard), ["0 bytes", "exactly 16"]),
        ["json-binary"] = (c => c.RawBytes([0xff, 0xfe, 0x00, 0x01, 0x89, 0x50]), ["not valid JSON"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_tfjs_model_ends_in_a_clean_error_and_writes_nothing(string name)
    {
        if (name is "path-symlink-out" or "json-is-fifo" or "shard-is-fifo" && OperatingSystem.IsWindows())
        {
            Assert.Fail("symbolic links and FIFOs need Linux or macOS; run this case there.");
        }
        using var home = new TempHome();
        var c = new Case(home.Path);
        var (breakIt, mentions) = Cases[name];
        breakIt(c);
        c.SaveJson();
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "tfjs", c.ModelJson, "--out", target);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, mentions));
        Assert.False(File.Exists(target), "an ONNX file was written from a hostile model");
        Assert.Empty(Directory.Exists(Path.GetDirectoryName(target)) ? Directory.GetFiles(Path.GetDirectoryName(target)!) : []);
    }

    [Fact]
    public void The_unbroken_model_of_the_corpus_imports()
    {
        using var home = new TempHome();
        var c = new Case(home.Path);
        c.SaveJson();
        var target = Path.Combine(home.Path, "out", "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "tfjs", c.ModelJson, "--out", target);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public void A_shard_path_inside_a_subfolder_is_read()
    {
        using var home = new TempHome();
        var c = new Case(home.Path);
        var sub = Path.Combine(c.Folder, "shards");
        Directory.CreateDirectory(sub);
        File.Move(c.Shard, Path.Combine(sub, "weights.bin"));
        c.SetPaths("shards/../shards/weights.bin");
        c.SaveJson();
        var target = Path.Combine(home.Path, "model.onnx");

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "import", "tfjs", c.ModelJson, "--out", target);

        Assert.True(result.ExitCode == 0, result.AllText);
    }

    /// <summary>One generated model: <c>&lt;root&gt;/model/model.json</c> and its 16-byte shard, editable as JSON.</summary>
    private sealed class Case
    {
        private readonly string _root;
        private Func<string, string>? _raw;
        private byte[]? _rawBytes;

        public Case(string root)
        {
            _root = root;
            Folder = Path.Combine(root, "model");
            ModelJson = new TfjsModelWriter().Placeholder("x", "DT_FLOAT", 1, 4).Const("w", [1f, 2f, 3f, 4f], 4, 1)
                .Node("y", "MatMul", ["x", "w"], TfjsModelWriter.Attrs(("transpose_a", new JsonObject { ["b"] = false })))
                .Save(Folder);
            Root = JsonNode.Parse(File.ReadAllText(ModelJson))!.AsObject();
        }

        public string Folder { get; }

        public string ModelJson { get; }

        public string Shard => Path.Combine(Folder, "weights.bin");

        public JsonObject Root { get; }

        public JsonObject Group() => Root["weightsManifest"]![0]!.AsObject();

        public JsonObject Weight() => Group()["weights"]![0]!.AsObject();

        public JsonArray Nodes() => Root["modelTopology"]!["node"]!.AsArray();

        public JsonObject Node(int i) => Nodes()[i]!.AsObject();

        public void SetPaths(params string[] paths) => Group()["paths"] = new JsonArray(paths.Select(p => (JsonNode)p!).ToArray());

        /// <summary>A file of exactly the shard's size beside the model folder; returns its name.</summary>
        public string WriteOutside(string name)
        {
            File.WriteAllBytes(OutsidePath(name), new byte[ShardBytes]);
            return name;
        }

        public string OutsidePath(string name)
        {
            var path = Path.Combine(_root, name);
            if (!File.Exists(path))
            {
                File.WriteAllBytes(path, new byte[ShardBytes]);
            }
            return path;
        }

        public void LinkShardOutside()
        {
            File.Delete(Shard);
            File.CreateSymbolicLink(Shard, Path.Combine("..", WriteOutside("linked.bin")));
        }

        public void ShardIsDirectory()
        {
            Directory.CreateDirectory(Path.Combine(Folder, "sub"));
            SetPaths("sub");
        }

        public void ResizeShard(int length)
        {
            var bytes = File.ReadAllBytes(Shard);
            Array.Resize(ref bytes, length);
            File.WriteAllBytes(Shard, bytes);
        }

        /// <summary>Adds a Const 'big' of the given shape holding one inline value (TensorFlow repeats it to fill).</summary>
        public void InlineConst(long rows, long cols)
        {
            Nodes().Add(new JsonObject
            {
                ["name"] = "big",
                ["op"] = "Const",
                ["attr"] = new JsonObject
                {
                    ["value"] = new JsonObject
                    {
                        ["tensor"] = new JsonObject
                        {
                            ["dtype"] = "DT_FLOAT",
                            ["tensorShape"] = new JsonObject { ["dim"] = new JsonArray(new JsonObject { ["size"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture) }, new JsonObject { ["size"] = cols.ToString(System.Globalization.CultureInfo.InvariantCulture) }) },
                            ["floatVal"] = new JsonArray(1.0),
                        },
                    },
                    ["dtype"] = new JsonObject { ["type"] = "DT_FLOAT" },
                },
            });
            Nodes().Add(new JsonObject { ["name"] = "z", ["op"] = "AddV2", ["input"] = new JsonArray("y", "big") });
        }

        public void Raw(Func<string, string> edit) => _raw = edit;

        public void RawBytes(byte[] bytes) => _rawBytes = bytes;

        /// <summary>Runs after model.json is written.</summary>
        public Action? AfterSave { get; set; }

        public void SaveJson()
        {
            if (_rawBytes is not null)
            {
                File.WriteAllBytes(ModelJson, _rawBytes);
            }
            else
            {
                var json = Root.ToJsonString();
                File.WriteAllText(ModelJson, _raw is null ? json : _raw(json));
            }
            AfterSave?.Invoke();
        }
    }
}
