package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.checkpoint.pickle.NumpyScalar;
import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads nnU-Net's own checkpoint_final.pth of the slim e_tiny_iso model and checks it against the fixtures. */
class NnUNetCheckpointReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static NnUNetCheckpoint ckpt;
    private static JsonNode meta;

    @BeforeAll
    static void read() throws Exception {
        ckpt = NnUNetCheckpoint.read(Fixtures.checkpoint());
        meta = JSON.readTree(Fixtures.file("meta.json").toFile());
    }

    @Test
    void networkWeightsHaveNnUNetsKeysShapesAndDtypesInOrder() {
        List<Fixtures.KeyLine> expected = Fixtures.keyLines("state_dict_keys.txt");
        assertThat(expected).hasSize(188);
        List<String> names = new ArrayList<>(ckpt.networkWeights().keySet());
        assertThat(names).containsExactlyElementsOf(expected.stream().map(Fixtures.KeyLine::name).toList());
        for (Fixtures.KeyLine k : expected) {
            NdArray t = ckpt.networkWeights().get(k.name());
            assertThat(Arrays.toString(t.shape())).as(k.name()).isEqualTo(k.shape());
            assertThat(t.dtype().name().toLowerCase()).as(k.name()).isEqualTo(k.dtype());
        }
    }

    @Test
    void canonicalWeightsEqualTrainStepInitialBitForBit() throws Exception {
        Map<String, NdArray> initial = Npz.read(Fixtures.file("initial.npz"));
        Map<String, NdArray> canonical = ckpt.canonicalWeights();
        assertThat(canonical).hasSize(68);
        assertThat(new ArrayList<>(canonical.keySet()))
                .containsExactlyElementsOf(Fixtures.paramLines().stream().map(Fixtures.ParamLine::name).toList());
        assertThat(canonical.keySet()).containsExactlyInAnyOrderElementsOf(initial.keySet());
        for (var e : initial.entrySet()) {
            NdArray ours = canonical.get(e.getKey());
            assertThat(ours.dtype()).isEqualTo(e.getValue().dtype());
            assertThat(ours.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(ours.data()).as(e.getKey()).isEqualTo(e.getValue().data());
        }
    }

    @Test
    void aliasesShareTheTensorOfTheirCanonicalTwin() {
        Map<String, NdArray> w = ckpt.networkWeights();
        assertThat(w.get("decoder.encoder.stages.2.0.convs.1.all_modules.1.bias"))
                .isSameAs(w.get("encoder.stages.2.0.convs.1.norm.bias"));
        assertThat(new java.util.IdentityHashMap<NdArray, Boolean>() {
            {
                w.values().forEach(t -> put(t, true));
            }
        }).hasSize(68);
    }

    @Test
    void momentumBuffersMatchOptimizerParamIndex() {
        OptimizerState opt = ckpt.optimizerState();
        List<Fixtures.ParamLine> params = Fixtures.paramLines();
        assertThat(params).hasSize(68);
        int withBuffer = 0;
        for (Fixtures.ParamLine p : params) {
            NdArray buf = opt.momentumBuffer(p.index());
            if (p.hasMomentum()) {
                withBuffer++;
                assertThat(buf).as(p.name()).isNotNull();
                assertThat(Arrays.toString(buf.shape())).as(p.name()).isEqualTo(p.shape());
                assertThat(buf.dtype()).isEqualTo(DType.FLOAT32);
            } else {
                assertThat(buf).as(p.name()).isNull();
                assertThat(opt.state()).doesNotContainKey(p.index());
            }
        }
        assertThat(withBuffer).isEqualTo(meta.at("/checkpoint_scalars/optimizer_state_entries").asInt());
        assertThat(opt.momentumBuffers()).hasSize(66);
        // one SGD step from zero momentum: buffer = grad + wd * w, never all zero for a trained parameter
        float[] b = opt.momentumBuffer(0).toFloats();
        assertThat(b).isNotEqualTo(new float[b.length]);
    }

    @Test
    void paramGroupsEqualMetaJson() {
        List<ParamGroup> groups = ckpt.optimizerState().paramGroups();
        JsonNode expected = meta.at("/checkpoint_scalars/optimizer_param_groups");
        assertThat(groups).hasSize(expected.size());
        ParamGroup g = groups.get(0);
        JsonNode e = expected.get(0);
        assertThat(g.lr()).isEqualTo(e.get("lr").asDouble());
        assertThat(g.momentum()).isEqualTo(e.get("momentum").asDouble());
        assertThat(g.dampening()).isEqualTo(e.get("dampening").asDouble());
        assertThat(g.get("dampening")).isInstanceOf(Integer.class);
        assertThat(g.weightDecay()).isEqualTo(e.get("weight_decay").asDouble());
        assertThat(g.nesterov()).isEqualTo(e.get("nesterov").asBoolean());
        assertThat(g.get("maximize")).isEqualTo(false);
        assertThat(g.get("foreach")).isNull();
        assertThat(g.get("initial_lr")).isEqualTo(e.get("initial_lr").asDouble());
        assertThat(new ArrayList<>(g.entries().keySet())).containsExactly("lr", "momentum", "dampening",
                "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "initial_lr", "params");
        assertThat(g.params()).hasSize(meta.at("/checkpoint_scalars/optimizer_n_params").asInt());
        assertThat(g.params().get(67)).isEqualTo(67);
    }

    @Test
    void scalarsEqualMetaJsonWithNnUNetsTypes() {
        JsonNode s = meta.get("checkpoint_scalars");
        assertThat(ckpt.currentEpoch()).isEqualTo(s.get("current_epoch").asInt());
        assertThat(ckpt.bestEmaRaw()).isInstanceOf(NumpyScalar.class);
        assertThat(((NumpyScalar) ckpt.bestEmaRaw()).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(ckpt.bestEma()).isEqualTo(s.get("_best_ema").asDouble());
        assertThat(ckpt.trainerName()).isEqualTo(s.get("trainer_name").asText());
        assertThat(ckpt.inferenceAllowedMirroringAxes()).containsExactly(0, 1, 2);
        assertThat(ckpt.gradScalerState()).isNull();
        assertThat(new ArrayList<>(ckpt.initArgs().keySet())).containsExactly("plans", "configuration", "fold",
                "dataset_json", "device");
        assertThat(ckpt.configuration()).isEqualTo(s.get("init_args.configuration").asText());
        assertThat(ckpt.fold()).isEqualTo(s.get("init_args.fold").asInt());
        assertThat(ckpt.device()).isEqualTo(new TorchDevice("cpu", null));
    }

    @Test
    void loggingEqualsMetaJsonWithNnUNetsTypes() {
        JsonNode logging = meta.at("/checkpoint_scalars/logging");
        TrainingLog log = ckpt.logging();
        assertThat(new ArrayList<>(log.raw().keySet())).containsExactlyElementsOf(TrainingLog.KEYS);
        for (String key : TrainingLog.KEYS) {
            if (key.equals(TrainingLog.DICE_PER_CLASS_OR_REGION)) {
                assertThat(log.dicePerClassOrRegion()).containsExactly(List.of(logging.get(key).get(0).get(0).asDouble()));
                continue;
            }
            List<Double> expected = new ArrayList<>();
            logging.get(key).forEach(n -> expected.add(n.asDouble()));
            List<Double> ours = log.series(key);
            if (key.endsWith("losses")) { // float32 values, printed by Python as their float64 widening
                assertThat(ours).containsExactlyElementsOf(expected);
            } else {
                assertThat(ours).as(key).containsExactlyElementsOf(expected);
            }
        }
        assertThat(type(log, TrainingLog.MEAN_FG_DICE)).isEqualTo("np.float64");
        assertThat(type(log, TrainingLog.EMA_FG_DICE)).isEqualTo("np.float64");
        assertThat(type(log, TrainingLog.TRAIN_LOSSES)).isEqualTo("np.float32");
        assertThat(type(log, TrainingLog.VAL_LOSSES)).isEqualTo("np.float32");
        assertThat(type(log, TrainingLog.LRS)).isEqualTo("float");
        assertThat(type(log, TrainingLog.EPOCH_END_TIMESTAMPS)).isEqualTo("float");
        // nnU-Net's _best_ema is the very object logged as ema_fg_dice[-1]
        assertThat(log.raw().get(TrainingLog.EMA_FG_DICE).get(0)).isSameAs(ckpt.bestEmaRaw());
    }

    private static String type(TrainingLog log, String key) {
        Object v = log.raw().get(key).get(0);
        if (v instanceof NumpyScalar s) {
            return "np." + s.dtype().name().toLowerCase();
        }
        return v instanceof Double ? "float" : v.getClass().getSimpleName();
    }

    @Test
    void initArgsHoldThePlansAndDatasetJsonOfTheModelFolder() throws Exception {
        assertThat(ckpt.plansJson()).isEqualTo(JSON.readTree(Fixtures.file("plans.json").toFile()));
        assertThat(PyValues.toJson(ckpt.datasetJson())).isEqualTo(JSON.readTree(Fixtures.file("dataset.json").toFile()));
        assertThat(((Map<?, ?>) ckpt.plans().get("configurations")).containsKey("3d_fullres")).isTrue();
    }

    @Test
    void stateDictMetadataIsPyTorchsPerModuleVersions() throws Exception {
        Object root = TorchSerialization.load(Fixtures.checkpoint());
        PyOrderedDict weights = (PyOrderedDict) ((Map<?, ?>) root).get("network_weights");
        Map<Object, Object> metadata = weights.metadata();
        assertThat(metadata).hasSize(221);
        var generated = StateDictKeys.moduleVersions(new ArrayList<>(ckpt.networkWeights().keySet()));
        assertThat(new ArrayList<Object>(metadata.keySet())).containsExactlyElementsOf(generated.keySet());
        generated.forEach((module, version) ->
                assertThat(((Map<?, ?>) metadata.get(module)).get("version")).as(module).isEqualTo(version));
    }
}
