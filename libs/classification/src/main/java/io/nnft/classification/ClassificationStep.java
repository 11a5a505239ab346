package io.nnft.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.nnft.imageio.NdArray;
import io.nnft.network.GradientClipping;
import io.nnft.network.NamedParameter;
import io.nnft.network.Networks;
import io.nnft.network.StateDict;
import io.nnft.network.UsageTrackingParameterStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One classifier training iteration: zero grads, forward, cross-entropy, backward, clip_grad_norm_, optimizer
 * step. Frozen parameters get no gradient (requires_grad off), so the optimizer leaves them exactly as they
 * are. Every temporary lives in an {@link NDScope} closed at the end. Not thread-safe.
 *
 * <p>As in the segmentation step, a step whose loss or gradient norm is not finite is not applied (the weights and
 * the optimizer state stay as they were); the {@link Result} says so and the trainer counts it.
 */
public final class ClassificationStep {
    private final ClassifierNetwork net;
    private final CrossEntropy loss;
    private final ClassifierOptimizer optimizer;
    private final double maxGradNorm;
    private final NDManager manager;
    private final LinkedHashMap<String, NamedParameter> parameters;
    private final UsageTrackingParameterStore store;

    public ClassificationStep(ClassifierNetwork net, CrossEntropy loss, ClassifierOptimizer optimizer,
                              double maxGradNorm, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
        this.manager = manager;
        this.parameters = StateDict.parameters(net);
        this.store = new UsageTrackingParameterStore(manager);
        // As TrainStep: the conv repair's probe before any step, never inside a step's graph.
        io.nnft.network.ConvBackwardRepair.active();
    }

    /**
     * What one step did.
     *
     * @param applied false when the loss or the gradient norm was not finite and the weights were left as they were
     */
    public record Result(float loss, float gradNorm, boolean applied) {
    }

    public Result run(NdArray input, int[] labels) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = Networks.toNDArray(manager, input);
            zeroGradients();
            store.clearUsage();
            float value;
            try (GradientCollector collector = Networks.engine().newGradientCollector()) {
                NDArray l = loss.loss(net.logits(store, x, true), labels, manager);
                collector.backward(l);
                value = l.getFloat();
            }
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (NamedParameter p : parameters.values()) {
                if (p.trainable() && store.wasUsed(p.parameter())) {
                    NDArray g = JniUtils.getGradient((PtNDArray) p.parameter().getArray());
                    if (g != null) {
                        grads.put(p.key(), g);
                    }
                }
            }
            float norm = GradientClipping.clipGradNorm(grads.values(), maxGradNorm);
            boolean applied = Float.isFinite(value) && Float.isFinite(norm);
            if (applied) {
                optimizer.step(parameters, grads);
            }
            return new Result(value, norm, applied);
        }
    }

    /** Softmax probabilities of a batch, autograd and dropout off. */
    public static double[][] probabilities(ClassifierNetwork net, NdArray input, NDManager manager) {
        return Networks.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = Networks.toNDArray(manager, input);
                NDArray p = net.logits(new UsageTrackingParameterStore(manager), x, false).softmax(1);
                int n = (int) p.getShape().get(0);
                int c = (int) p.getShape().get(1);
                float[] flat = p.toFloatArray();
                double[][] out = new double[n][c];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < c; k++) {
                        out[i][k] = flat[i * c + k];
                    }
                }
                return out;
            }
        });
    }

    /** Cross-entropy of given probabilities (validation loss), mean over the cases, weighted like training. */
    public static double loss(double[][] probabilities, int[] labels, double[] classWeights) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double w = classWeights == null ? 1 : classWeights[labels[i]];
            sum += -w * Math.log(Math.max(probabilities[i][labels[i]], 1e-12));
            total += w;
        }
        return total > 0 ? sum / total : Double.NaN;
    }

    private void zeroGradients() {
        for (NamedParameter p : parameters.values()) {
            NDArray a = p.parameter().getArray();
            if (a.hasGradient() && JniUtils.getGradient((PtNDArray) a) != null) {
                JniUtils.zeroGrad((PtNDArray) a);
            }
        }
    }

    public List<String> keys() {
        return List.copyOf(parameters.keySet());
    }
}
