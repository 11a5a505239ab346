package io.nnft.checkpoint;

import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: writes the files {@code src/test/python/check_torch_load.py} feeds to real PyTorch
 * (see the module README). Args: the fixture checkpoint_final.pth, an output folder, initial.npz.
 */
public final class ExportForTorchCheck {
    private ExportForTorchCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path src = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        NnUNetCheckpoint c = NnUNetCheckpoint.read(src);
        c.write(out.resolve("checkpoint_final.pth"));
        StateDictFile.write(out.resolve("state_dict.pth"), c.networkWeights());
        SafeTensors.write(out.resolve("weights.safetensors"), c.canonicalWeights(), Map.of("format", "pt"));

        // a checkpoint assembled from canonical weights and fresh objects, as the trainer will do
        Map<String, NdArray> initial = Npz.read(Path.of(args[2]));
        Map<String, NdArray> canonical = new LinkedHashMap<>();
        c.canonicalWeights().keySet().forEach(k -> canonical.put(k, initial.get(k)));
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < canonical.size(); i++) {
            params.add(i);
        }
        TrainingLog log = TrainingLog.empty();
        log.addEpoch(0.5, 0.45, new double[] {0.5}, 0.3f, 0.25f, 0.01, 1.7e9, 1.7e9 + 2);
        new NnUNetCheckpoint().setCanonicalWeights(canonical)
                .setOptimizerState(OptimizerState.sgd(c.optimizerState().momentumBuffers(),
                        List.of(ParamGroup.sgd(0.01, 0.99, 3e-5, true, 0.01, params))))
                .setLogging(log).setBestEma(0.45).setCurrentEpoch(1)
                .setInitArgs(NnUNetCheckpoint.initArgs(c.plansJson(), c.configuration(), 0,
                        PyValues.toJson(c.datasetJson()), TorchDevice.cpu()))
                .setInferenceAllowedMirroringAxes(List.of(0, 1, 2))
                .write(out.resolve("built/checkpoint_final.pth"));
        System.out.println("wrote " + out);
    }
}
