package io.nnft.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.nnft.network.DeepSupervisionLoss;
import io.nnft.network.Networks;
import io.nnft.network.PlainConvUNet;
import io.nnft.training.data.Batch;

/**
 * nnUNetTrainer.validation_step: forward without gradients, the deep-supervision loss, and tp/fp/fn of the
 * full-resolution argmax against the full-resolution target, accumulated into a {@link PseudoDice}.
 */
public final class ValidationStep {
    private final PlainConvUNet net;
    private final DeepSupervisionLoss loss;
    private final NDManager manager;

    public ValidationStep(PlainConvUNet net, DeepSupervisionLoss loss, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.manager = manager;
    }

    /** @return the batch's loss */
    public float run(Batch batch, PseudoDice dice) {
        return Networks.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = Networks.toNDArray(manager, batch.data());
                NDArray[] t = new NDArray[batch.targets().length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = Networks.toNDArray(manager, batch.targets()[i]);
                }
                boolean[] wanted = loss.wantedOutputs();
                wanted[0] = true;
                NDArray[] out = net.forwardOutputs(new ParameterStore(manager, false), x, false, wanted);
                float l = loss.loss(out, t).getFloat();
                int[] predicted = out[0].argMax(1).toType(DataType.INT32, false).toIntArray();
                dice.add(predicted, batch.targets()[0].toInts());
                return l;
            }
        });
    }
}
