package io.nnft.network;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.checkpoint.PyValues;

/**
 * Bridges nnU-Net checkpoints (libs/checkpoint) and our network: the network an nnU-Net checkpoint
 * describes (init_args' plans, configuration, dataset_json) with its weights (its optimizer_state goes through
 * {@link Optimizer#restore}).
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
}
