package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * dynamic_network_architectures' UNetDecoder: for decoder stage s (lowest resolution first)
 * {@code transpconvs.s} upsamples by the matching encoder stride, the result is concatenated with the skip
 * of the same resolution, {@code stages.s} (StackedConvBlocks, stride 1) mixes, and {@code seg_layers.s}
 * (1×1 conv with bias) maps to the segmentation heads.
 *
 * <p>nnU-Net's decoder also holds a reference to the encoder ({@code decoder.encoder.*} keys); here that is
 * only an alias written by {@link StateDict}, so each tensor exists once.
 */
public final class UNetDecoder extends NnBlock {
    private final NnSequential stages;
    private final NnSequential transpconvs;
    private final NnSequential segLayers;
    private final int numSegmentationHeads;

    public UNetDecoder(PlainConvUNetConfig c) {
        int n = c.nStages();
        int[] features = c.featuresPerStage();
        numSegmentationHeads = c.numSegmentationHeads();
        int[] one = new int[c.spatialDims()];
        Arrays.fill(one, 1);
        // Registration order = PyTorch's (stages, transpconvs, seg_layers) so parameter order matches named_parameters().
        stages = addNamedChild("stages", new NnSequential());
        transpconvs = addNamedChild("transpconvs", new NnSequential());
        segLayers = addNamedChild("seg_layers", new NnSequential());
        for (int s = 1; s < n; s++) {
            int below = features[n - s];
            int skip = features[n - s - 1];
            transpconvs.add(new ConvTransposeNd(below, skip, c.strides()[n - s], c.convBias()));
            stages.add(new StackedConvBlocks(c.nConvPerStageDecoder()[s - 1], 2 * skip, skip,
                    c.kernelSizes()[n - s - 1], one, c));
            segLayers.add(new ConvNd(skip, numSegmentationHeads, one, one, true));
        }
    }

    public int numOutputs() {
        return stages.size();
    }

    /**
     * Runs the decoder on the encoder's skips and evaluates only the requested segmentation outputs.
     *
     * @param wanted indexed like nnU-Net's deep-supervision outputs: 0 = full resolution (the last seg layer)
     * @return same indexing; null where not wanted. Unwanted seg layers are never applied, so they get no
     *     gradient — as in nnU-Net, where the zero-weighted output is skipped by the loss.
     */
    public NDArray[] forwardOutputs(ParameterStore ps, NDList skips, boolean training, boolean[] wanted) {
        int nOut = stages.size();
        if (wanted.length != nOut) {
            throw new IllegalArgumentException("decoder has " + nOut + " outputs, " + wanted.length + " flags given");
        }
        if (skips.size() != nOut + 1) {
            throw new IllegalArgumentException("decoder expects " + (nOut + 1) + " skips, found " + skips.size());
        }
        NDArray[] outputs = new NDArray[nOut];
        NDArray lres = skips.get(skips.size() - 1);
        for (int s = 0; s < nOut; s++) {
            NDArray up = transpconvs.get(s).forward(ps, new NDList(lres), training, null).singletonOrThrow();
            NDArray x = NDArrays.concat(new NDList(up, skips.get(skips.size() - s - 2)), 1);
            x = stages.get(s).forward(ps, new NDList(x), training, null).singletonOrThrow();
            int outputIndex = nOut - 1 - s;
            if (wanted[outputIndex]) {
                outputs[outputIndex] = segLayers.get(s).forward(ps, new NDList(x), training, null).singletonOrThrow();
            }
            lres = x;
        }
        return outputs;
    }

    /** All outputs (deep supervision, full resolution first) — DJL's generic entry point. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList skips, boolean training,
                                     PairList<String, Object> params) {
        boolean[] all = new boolean[stages.size()];
        Arrays.fill(all, true);
        return new NDList(forwardOutputs(ps, skips, training, all));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] skipShapes) {
        Shape[] out = new Shape[stages.size()];
        for (int s = 0; s < stages.size(); s++) {
            long[] shape = skipShapes[skipShapes.length - s - 2].getShape().clone();
            shape[1] = numSegmentationHeads;
            out[stages.size() - 1 - s] = new Shape(shape);
        }
        return out;
    }
}
