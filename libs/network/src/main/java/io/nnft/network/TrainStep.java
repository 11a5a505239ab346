package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.nnft.imageio.NdArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training iteration of any task (nnUNetTrainer.train_step): zero grads, forward and loss (the task's
 * {@link Objective}: deep-supervised DC+CE for segmentation, cross-entropy for a classifier), backward,
 * clip_grad_norm_ (12 in nnU-Net), optimizer step. Every temporary lives in an {@link NDScope} closed at the end,
 * so nothing accumulates in the model's manager. Frozen parameters get no gradient, so the optimizer leaves them
 * exactly as they are.
 *
 * <p>A step whose loss or gradient norm is not finite is not applied: one such step would write NaN into every
 * weight and momentum buffer at once. Like PyTorch's GradScaler, the optimizer step is skipped and the
 * {@link Result} says so; the caller counts skipped steps and decides when training has diverged.
 *
 * <p>Not thread-safe; DJL allows one gradient collector per JVM.
 */
public final class TrainStep {
    public static final double NNUNET_MAX_GRAD_NORM = 12;

    private final Block net;
    private final Objective objective;
    private final Optimizer optimizer;
    private final double maxGradNorm;
    private final NDManager manager;
    private final LinkedHashMap<String, NamedParameter> parameters;
    private final UsageTrackingParameterStore store;

    /** What a step minimises: the forward and loss of one batch, called inside the step's gradient scope. */
    @FunctionalInterface
    public interface Objective {
        /** @param targets the batch's targets as the objective wants them (see {@link #targets}) */
        NDArray loss(ParameterStore store, NDArray input, NdArray[] targets, NDManager manager);

        /** The targets a full-resolution label batch becomes; as it is unless the objective wants more. */
        default NdArray[] targets(NdArray labels) {
            return new NdArray[] {labels};
        }
    }

    /** nnU-Net's step: the network's outputs, deep-supervision DC+CE against targets derived per output. */
    public static Objective deepSupervised(PlainConvUNet net, DeepSupervisionLoss loss) {
        if (loss.weights().length != net.numOutputs()) {
            throw new IllegalArgumentException("loss has " + loss.weights().length + " deep-supervision weights, network "
                    + net.numOutputs() + " outputs");
        }
        double[][] dsScales = DeepSupervision.scales(net.config().strides());
        return new Objective() {
            @Override
            public NDArray loss(ParameterStore store, NDArray input, NdArray[] targets, NDManager manager) {
                NDArray[] t = new NDArray[targets.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = Networks.toNDArray(manager, targets[i]);
                }
                return loss.loss(net.forwardOutputs(store, input, true, loss.wantedOutputs()), t);
            }

            @Override
            public NdArray[] targets(NdArray labels) {
                return DeepSupervision.targets(labels, dsScales);
            }
        };
    }

    /** nnU-Net's segmentation step ({@link #deepSupervised}). */
    public TrainStep(PlainConvUNet net, DeepSupervisionLoss loss, Optimizer optimizer, double maxGradNorm,
                     NDManager manager) {
        this(net, deepSupervised(net, loss), optimizer, maxGradNorm, manager);
    }

    /** @param manager where inputs and targets are created (the model's device) */
    public TrainStep(Block net, Objective objective, Optimizer optimizer, double maxGradNorm, NDManager manager) {
        this.net = net;
        this.objective = objective;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        this.manager = manager;
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

    /** @param labels the batch's labels at full resolution; the objective derives what it wants (deep supervision) */
    public Result run(NdArray input, NdArray labels) {
        return run(input, objective.targets(labels));
    }

    /** @param targets as the objective wants them (deep supervision: one per network output, full resolution first) */
    public Result run(NdArray input, NdArray[] targets) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = Networks.toNDArray(manager, input);
            zeroGradients();
            store.clearUsage();
            float lossValue;
            try (GradientCollector collector = Networks.engine().newGradientCollector()) {
                NDArray l = objective.loss(store, x, targets, manager);
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

    public Block network() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }
}
