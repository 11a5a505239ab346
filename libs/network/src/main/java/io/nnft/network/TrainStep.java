package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.nnft.imageio.NdArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One nnU-Net training iteration (nnUNetTrainer.train_step): zero grads, forward with deep supervision,
 * DC+CE deep-supervision loss, backward, clip_grad_norm_(12), SGD step. Every temporary lives in an
 * {@link NDScope} closed at the end, so nothing accumulates in the model's manager.
 *
 * <p>A step whose loss or gradient norm is not finite is not applied: one such step would write NaN into every
 * weight and momentum buffer at once. Like PyTorch's GradScaler, the optimizer step is skipped and the
 * {@link Result} says so; the caller counts skipped steps and decides when training has diverged.
 *
 * <p>Not thread-safe; DJL allows one gradient collector per JVM.
 */
public final class TrainStep {
    public static final double NNUNET_MAX_GRAD_NORM = 12;

    private final PlainConvUNet net;
    private final DeepSupervisionLoss loss;
    private final NesterovSgd optimizer;
    private final double maxGradNorm;
    private final NDManager manager;
    private final double[][] dsScales;
    private final LinkedHashMap<String, NamedParameter> parameters;
    private final UsageTrackingParameterStore store;

    /** @param manager where inputs and targets are created (the model's device) */
    public TrainStep(PlainConvUNet net, DeepSupervisionLoss loss, NesterovSgd optimizer, double maxGradNorm,
                     NDManager manager) {
        if (loss.weights().length != net.numOutputs()) {
            throw new IllegalArgumentException("loss has " + loss.weights().length + " deep-supervision weights, network "
                    + net.numOutputs() + " outputs");
        }
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        this.manager = manager;
        this.dsScales = DeepSupervision.scales(net.config().strides());
        this.parameters = StateDict.parameters(net);
        // Decide the conv repair now (auto mode runs its probe, an autograd pass of its own) rather than inside the
        // first step's forward, where the probe would run in the middle of the step's graph.
        ConvBackwardRepair.active();
        this.store = new UsageTrackingParameterStore(manager);
    }

    /**
     * What one step did.
     *
     * @param applied false when the loss or the gradient norm was not finite and the weights were left as they were
     */
    public record Result(float loss, float gradNormBeforeClip, List<String> parametersWithoutGradient, boolean applied) {
    }

    /** @param target (N, 1, spatial…) labels at full resolution; deep-supervision targets are derived here */
    public Result run(NdArray input, NdArray target) {
        return run(input, DeepSupervision.targets(target, dsScales));
    }

    /** @param targets one per network output, full resolution first */
    public Result run(NdArray input, NdArray[] targets) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = Networks.toNDArray(manager, input);
            NDArray[] t = new NDArray[targets.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = Networks.toNDArray(manager, targets[i]);
            }
            zeroGradients();
            store.clearUsage();
            float lossValue;
            try (GradientCollector collector = Networks.engine().newGradientCollector()) {
                NDArray[] outputs = net.forwardOutputs(store, x, true, loss.wantedOutputs());
                NDArray l = loss.loss(outputs, t);
                collector.backward(l);
                lossValue = l.getFloat();
            }
            Map<String, NDArray> grads = new LinkedHashMap<>();
            List<String> without = new ArrayList<>();
            for (NamedParameter p : parameters.values()) {
                NDArray g = gradientOrNull(p);
                if (g == null) {
                    without.add(p.key());
                } else {
                    grads.put(p.key(), g);
                }
            }
            float norm = GradientClipping.clipGradNorm(grads.values(), maxGradNorm);
            boolean applied = Float.isFinite(lossValue) && Float.isFinite(norm);
            if (applied) {
                optimizer.step(parameters, grads);
            }
            return new Result(lossValue, norm, without, applied);
        }
    }

    /** PyTorch's p.grad after zero_grad(set_to_none=True) + backward: null unless trainable and used. */
    private NDArray gradientOrNull(NamedParameter p) {
        if (!p.trainable() || !store.wasUsed(p.parameter())) {
            return null;
        }
        return JniUtils.getGradient((PtNDArray) p.parameter().getArray());
    }

    private void zeroGradients() {
        for (NamedParameter p : parameters.values()) {
            NDArray a = p.parameter().getArray();
            if (a.hasGradient() && JniUtils.getGradient((PtNDArray) a) != null) {
                JniUtils.zeroGrad((PtNDArray) a);
            }
        }
    }

    public PlainConvUNet network() {
        return net;
    }

    public NesterovSgd optimizer() {
        return optimizer;
    }
}
