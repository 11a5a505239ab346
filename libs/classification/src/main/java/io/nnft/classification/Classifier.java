package io.nnft.classification;

import ai.djl.ndarray.NDManager;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.network.Networks;
import io.nnft.network.StateDict;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.DatasetLabels;
import io.nnft.preprocessing.DefaultPreprocessor;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessedCase;
import io.nnft.preprocessing.PreprocessingPlan;
import io.nnft.preprocessing.RawCase;
import io.nnft.training.data.Sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained classifier from its model folder: preprocesses raw cases with the model's plans (nnU-Net's
 * DefaultPreprocessor, as in pretraining), cuts the centred patch-sized window and returns the class
 * probabilities.
 */
public final class Classifier implements AutoCloseable {
    private final ClassificationModel model;
    private final NDManager manager;
    private final ClassifierNetwork net;
    private final DefaultPreprocessor preprocessor;

    private Classifier(ClassificationModel model, NDManager manager, ClassifierNetwork net,
                       DefaultPreprocessor preprocessor) {
        this.model = model;
        this.manager = manager;
        this.net = net;
        this.preprocessor = preprocessor;
    }

    /** @param which final, best or latest */
    public static Classifier load(Path modelDir, String fold, String which) throws IOException {
        ClassificationModel model = ClassificationModel.read(modelDir);
        Path ckpt = model.checkpoint(fold, which);
        NnUNetCheckpoint c;
        try {
            c = NnUNetCheckpoint.read(ckpt);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(ckpt + ": not a readable checkpoint: " + e.getMessage(), e);
        }
        NDManager manager = Networks.engine().newBaseManager();
        try {
            ClassifierNetwork net = ClassifierNetwork.create(model.networkConfig(), model.head(),
                    model.classNames().size(), manager);
            StateDict.load(net, c.canonicalWeights(), ckpt + " network_weights");
            Plans plans = Plans.read(model.plansFile());
            DefaultPreprocessor pre = new DefaultPreprocessor(PreprocessingPlan.of(plans, model.configuration(),
                    DatasetLabels.ofForeground(1)), Parallel.SEQUENTIAL);
            return new Classifier(model, manager, net, pre);
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    public ClassificationModel model() {
        return model;
    }

    public List<String> classNames() {
        return model.classNames();
    }

    /** A raw case (no label map), preprocessed with the model's plans first. */
    public ClassPrediction predictRaw(RawCase raw) {
        PreprocessedCase pre = preprocessor.run(raw);
        float[][] d = pre.data();
        int v = d[0].length;
        float[] flat = new float[d.length * v];
        for (int c = 0; c < d.length; c++) {
            System.arraycopy(d[c], 0, flat, c * v, v);
        }
        return predict(raw.identifier(), flat, d.length, pre.shape());
    }

    /** A preprocessed case: data (channels, z, y, x) flattened channel-major. */
    public ClassPrediction predict(String caseId, float[] data, int channels, int[] shape) {
        int[] patch = model.patchSize();
        Sample s = CaseWindow.cut(new io.nnft.training.data.PreprocessedCase(caseId, channels, shape, data,
                new short[shape[0] * shape[1] * shape[2]], java.util.Map.of()), patch, patch, null);
        NdArray x = NdArray.ofFloats(new long[] {1, channels, patch[0], patch[1], patch[2]}, s.image);
        double[] p = net.probabilities(x, manager)[0];
        int k = ClassificationMetrics.argMax(p);
        return new ClassPrediction(caseId, k, model.classNames().get(k), p);
    }

    @Override
    public void close() {
        manager.close();
    }
}
