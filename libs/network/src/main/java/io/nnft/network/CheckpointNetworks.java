package io.nnft.network;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.OptimizerState;
import io.nnft.checkpoint.PyValues;
import io.nnft.imageio.NdArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bridges nnU-Net checkpoints (libs/checkpoint) and our network: the network an nnU-Net checkpoint
 * describes (init_args' plans, configuration, dataset_json) with its weights, and the SGD momentum buffers
 * of its optimizer_state. Optimizer parameter index i is the i-th parameter in named_parameters() order
 * (nnU-Net builds its optimizer from {@code network.parameters()} in one group).
 */
public final class CheckpointNetworks {
    private CheckpointNetworks() {
    }

    /** The PlainConvUNet config of the checkpoint's plans/configuration; heads from dataset_json labels. */
    public static PlainConvUNetConfig config(NnUNetCheckpoint checkpoint, boolean deepSupervision, String where) {
        JsonNode dataset = PyValues.toJson(checkpoint.datasetJson());
        int heads = PlainConvUNetConfig.segmentationHeadsFromLabels(dataset.get("labels"),
                where + " init_args.dataset_json");
        return PlainConvUNetConfig.fromPlans(checkpoint.plansJson(), checkpoint.configuration(), heads,
                deepSupervision, where + " init_args.plans");
    }

    /** The checkpoint's network with its weights (aliases accepted, every mismatch reported). */
    public static PlainConvUNet network(NnUNetCheckpoint checkpoint, NDManager manager, boolean deepSupervision,
                                        String where) {
        PlainConvUNet net = Networks.create(config(checkpoint, deepSupervision, where), manager);
        StateDict.load(net, checkpoint.networkWeights(), where + " network_weights");
        return net;
    }

    /** Loads optimizer_state's momentum buffers into {@code sgd}; parameters without one keep none (fresh). */
    public static void restoreMomentum(NesterovSgd sgd, PlainConvUNet net, OptimizerState state, String where) {
        List<NamedParameter> params = new ArrayList<>(StateDict.parameters(net).values());
        for (Map.Entry<Integer, NdArray> e : state.momentumBuffers().entrySet()) {
            int i = e.getKey();
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException(where + " optimizer_state: momentum buffer for parameter index " + i
                        + ", but the network has " + params.size() + " parameters");
            }
            try {
                sgd.setMomentumBuffer(params.get(i), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + " optimizer_state index " + i + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Our momentum buffers keyed by optimizer parameter index, for OptimizerState.sgd(...). */
    public static LinkedHashMap<Integer, NdArray> momentumByIndex(NesterovSgd sgd, PlainConvUNet net) {
        Map<String, NdArray> byKey = sgd.exportMomentumBuffers();
        LinkedHashMap<Integer, NdArray> out = new LinkedHashMap<>();
        int i = 0;
        for (String key : StateDict.parameters(net).keySet()) {
            NdArray b = byKey.get(key);
            if (b != null) {
                out.put(i, b);
            }
            i++;
        }
        return out;
    }
}
